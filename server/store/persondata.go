package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"wordgarden/server/model"
)

// personDataAbout opens every export, for the person who reads it.
const personDataAbout = "Everything wordgarden's database holds about one person, exported for them. " +
	"Codes (invite, password reset) and sessions are kept only as scrambled hashes, so they are counted or dated here, not shown. " +
	"A ballot's marks are the ids of the wordings approved, or each wording's rank; its receipt is published with the anonymous ballots of its vote."

// PersonData gathers everything the database holds about one person, for
// their right of access. An erased account is ErrNotFound: it holds no one.
func (s *Store) PersonData(ctx context.Context, id int64) (model.PersonData, error) {
	d := model.PersonData{About: personDataAbout, ExportedAt: s.nowUTC()}
	// One read transaction, so the parts agree with each other.
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return d, fmt.Errorf("export user %d: %w", id, err)
	}
	defer tx.Rollback()
	u, err := accountIn(ctx, tx, id)
	if err != nil {
		return d, err
	}
	d.Account = model.PersonAccount{
		ID: u.ID, Name: u.Name, Email: u.Email, Role: u.Role,
		Organisation: u.OrganisationName, Sector: u.Sector,
		Neighbourhood: u.NeighbourhoodName, NeighbourhoodSlug: u.NeighbourhoodSlug,
		CreatedAt: u.CreatedAt, DisabledAt: timeOrNil(u.DisabledAt),
	}
	parts := []func(context.Context, *txn, int64, *model.PersonData) error{
		exportSessions, exportResetCodes, exportInvite, exportRegistration, exportComments, exportReports,
		exportBallots, exportVersions, exportModeration,
	}
	for _, part := range parts {
		if err := part(ctx, tx, id, &d); err != nil {
			return model.PersonData{}, fmt.Errorf("export user %d: %w", id, err)
		}
	}
	return d, nil
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func exportSessions(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	return tx.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE user_id = ? AND expires_at > ?`,
		id, d.ExportedAt).Scan(&d.Sessions)
}

func exportResetCodes(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	d.ResetCodes = []model.PersonResetCode{}
	return eachRow(ctx, tx, `SELECT created_at, expires_at, used_at FROM reset_codes WHERE user_id = ? ORDER BY id`,
		[]any{id}, func(rows *sql.Rows) error {
			var r model.PersonResetCode
			var used sql.NullTime
			if err := rows.Scan(&r.CreatedAt, &r.ExpiresAt, &used); err != nil {
				return err
			}
			r.UsedAt = timeOrNil(used.Time)
			d.ResetCodes = append(d.ResetCodes, r)
			return nil
		})
}

func exportInvite(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	var in model.PersonInvite
	err := tx.QueryRowContext(ctx, `SELECT created_at, used_at FROM invites WHERE user_id = ?`, id).Scan(&in.PrintedAt, &in.UsedAt)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	d.Joined = &in
	return nil
}

func exportRegistration(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	var r model.PersonRegistered
	err := tx.QueryRowContext(ctx, `
		SELECT r.registered_at, coalesce(f.name, '')
		FROM registrations r LEFT JOIN users f ON f.id = r.registered_by
		WHERE r.user_id = ?`, id).Scan(&r.At, &r.By)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	}
	d.Registered = &r
	return nil
}

func exportComments(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	d.Comments = []model.PersonComment{}
	return eachRow(ctx, tx, `
		SELECT c.id, c.version_id, t.slug, coalesce(c.parent_id, 0), c.author_name, c.organisation_name,
			c.neighbourhood_name, c.kind, c.markdown, c.created_at, c.hidden_at, coalesce(c.hidden_reason, ''),
			(SELECT count(*) FROM comment_reports WHERE comment_id = c.id)
		FROM comments c JOIN versions v ON v.id = c.version_id JOIN terms t ON t.id = v.term_id
		WHERE c.author_id = ? ORDER BY c.id`, []any{id}, func(rows *sql.Rows) error {
		var c model.PersonComment
		var hidden sql.NullTime
		if err := rows.Scan(&c.ID, &c.VersionID, &c.Term, &c.ReplyTo, &c.AuthorName, &c.Organisation,
			&c.Neighbourhood, &c.Kind, &c.Markdown, &c.CreatedAt, &hidden, &c.HiddenReason, &c.ReportsAgainstIt); err != nil {
			return err
		}
		c.HiddenAt = timeOrNil(hidden.Time)
		d.Comments = append(d.Comments, c)
		return nil
	})
}

func exportReports(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	d.Reports = []model.PersonReport{}
	return eachRow(ctx, tx, `SELECT comment_id, reason, created_at FROM comment_reports WHERE user_id = ? ORDER BY created_at`,
		[]any{id}, func(rows *sql.Rows) error {
			var r model.PersonReport
			if err := rows.Scan(&r.CommentID, &r.Reason, &r.CreatedAt); err != nil {
				return err
			}
			d.Reports = append(d.Reports, r)
			return nil
		})
}

func exportBallots(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	d.Ballots = []model.PersonBallot{}
	return eachRow(ctx, tx, `
		SELECT b.round_id, t.slug, r.method, n.slug, b.marks, b.receipt, b.cast_at
		FROM ballots b JOIN rounds r ON r.id = b.round_id JOIN terms t ON t.id = r.term_id
			JOIN neighbourhoods n ON n.id = b.neighbourhood_id
		WHERE b.user_id = ? ORDER BY b.round_id`, []any{id}, func(rows *sql.Rows) error {
		var b model.PersonBallot
		var marks string
		if err := rows.Scan(&b.RoundID, &b.Term, &b.Method, &b.Neighbourhood, &marks, &b.Receipt, &b.CastAt); err != nil {
			return err
		}
		b.Marks = json.RawMessage(marks)
		d.Ballots = append(d.Ballots, b)
		return nil
	})
}

func exportVersions(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	d.Versions = []model.PersonVersion{}
	return eachRow(ctx, tx, `
		SELECT v.id, t.slug, v.created_at FROM versions v JOIN terms t ON t.id = v.term_id
		WHERE v.author_id = ? ORDER BY v.id`, []any{id}, func(rows *sql.Rows) error {
		var v model.PersonVersion
		if err := rows.Scan(&v.ID, &v.Term, &v.CreatedAt); err != nil {
			return err
		}
		d.Versions = append(d.Versions, v)
		return nil
	})
}

// exportModeration lists the votes a facilitator opened and the comments
// they hid.
func exportModeration(ctx context.Context, tx *txn, id int64, d *model.PersonData) error {
	d.RoundsOpened, d.HiddenByThem = []int64{}, []int64{}
	err := eachRow(ctx, tx, `SELECT id FROM rounds WHERE opened_by = ? ORDER BY id`, []any{id}, func(rows *sql.Rows) error {
		var r int64
		err := rows.Scan(&r)
		d.RoundsOpened = append(d.RoundsOpened, r)
		return err
	})
	if err != nil {
		return err
	}
	return eachRow(ctx, tx, `SELECT id FROM comments WHERE hidden_by = ? ORDER BY id`, []any{id}, func(rows *sql.Rows) error {
		var c int64
		err := rows.Scan(&c)
		d.HiddenByThem = append(d.HiddenByThem, c)
		return err
	})
}

// eachRow runs query in tx and calls fn on each row.
func eachRow(ctx context.Context, tx *txn, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
