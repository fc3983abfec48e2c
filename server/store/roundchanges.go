package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"wordgarden/server/model"
)

// A facilitator may move an open round's closing time later, or cancel the
// round with a reason. Each change is a row of round_changes, never edited;
// the rounds row keeps the current closing time and when it was cancelled,
// and the database's triggers allow those changes only with their record.

// ExtendRound moves an open round's closing time later, to closesAt.
func (s *Store) ExtendRound(ctx context.Context, id int64, by model.User, closesAt time.Time, reason string) (model.Round, error) {
	closesAt = storedTime(closesAt)
	var old time.Time
	err := s.tx(ctx, func(tx *txn) error {
		now := s.nowUTC()
		var err error
		if old, err = openClosingTime(ctx, tx, id, now); err != nil {
			return err
		}
		if err := model.ValidateExtension(by, old, closesAt, now, reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO round_changes (round_id, kind, old_closes_at, new_closes_at, reason, by_id, by_name, created_at)
			VALUES (?, 'extend', ?, ?, ?, ?, ?, ?)`,
			id, old, closesAt, strings.TrimSpace(reason), by.ID, by.Name, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE rounds SET closes_at = ? WHERE id = ?`, closesAt, id)
		return err
	})
	if err := changeError(err, id, "extend"); err != nil {
		return model.Round{}, err
	}
	// The timer and Generation watch the new time, not the old; the ballot
	// writer's copy of the rules is read again.
	s.forgetClosing(old)
	s.noteClosing(closesAt)
	s.tell(notifyClosings)
	s.rules.Delete(id)
	return s.Round(ctx, id)
}

// CancelRound cancels an open round: it takes no more ballots and is never
// counted. The ballots cast stay stored, neither counted nor published.
func (s *Store) CancelRound(ctx context.Context, id int64, by model.User, reason string) (model.Round, error) {
	if err := model.ValidateCancellation(by, reason); err != nil {
		return model.Round{}, err
	}
	var old time.Time
	err := s.tx(ctx, func(tx *txn) error {
		now := s.nowUTC()
		var err error
		if old, err = openClosingTime(ctx, tx, id, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO round_changes (round_id, kind, old_closes_at, reason, by_id, by_name, created_at)
			VALUES (?, 'cancel', ?, ?, ?, ?, ?)`,
			id, old, strings.TrimSpace(reason), by.ID, by.Name, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE rounds SET cancelled_at = ? WHERE id = ?`, now, id)
		return err
	})
	if err := changeError(err, id, "cancel"); err != nil {
		return model.Round{}, err
	}
	s.forgetClosing(old)
	s.tell(notifyClosings)
	s.rules.Delete(id)
	return s.Round(ctx, id)
}

// openClosingTime returns the closing time of a round that is taking
// ballots at now, as the transaction sees it; for any other round, an error
// that says why it cannot change.
func openClosingTime(ctx context.Context, tx *txn, id int64, now time.Time) (time.Time, error) {
	var closes time.Time
	var closed, cancelled bool
	err := tx.QueryRowContext(ctx, `SELECT closes_at, closed_at IS NOT NULL, cancelled_at IS NOT NULL FROM rounds WHERE id = ?`,
		id).Scan(&closes, &closed, &cancelled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return closes, model.NotFound(model.ThingRound, id)
	case err != nil:
		return closes, err
	case cancelled:
		return closes, model.InvalidBecause(model.ErrClosed, "", "invalid.round_change.cancelled")
	case closed || !closes.After(now):
		return closes, model.InvalidBecause(model.ErrClosed, "", "invalid.round_change.closed")
	}
	return closes, nil
}

// changeError passes validation and not-found errors up as they are, and
// wraps any other.
func changeError(err error, id int64, what string) error {
	var ve *model.ValidationError
	if err == nil || errors.As(err, &ve) || errors.Is(err, model.ErrNotFound) {
		return err
	}
	return fmt.Errorf("%s round %d: %w", what, id, err)
}

// roundChanges lists a round's changes, oldest first.
func (s *Store) roundChanges(ctx context.Context, id int64) ([]model.RoundChange, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT kind, old_closes_at, new_closes_at, reason, by_id, by_name, created_at
		FROM round_changes WHERE round_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("changes of round %d: %w", id, err)
	}
	defer rows.Close()
	var out []model.RoundChange
	for rows.Next() {
		var c model.RoundChange
		var to sql.NullTime
		if err := rows.Scan(&c.Kind, &c.OldClosesAt, &to, &c.Reason, &c.ByID, &c.ByName, &c.At); err != nil {
			return nil, fmt.Errorf("changes of round %d: %w", id, err)
		}
		c.NewClosesAt = to.Time
		out = append(out, c)
	}
	return out, rows.Err()
}

// MyBallots lists the rounds a resident has a ballot in, with her receipt
// and when she last voted, the latest vote first. It looks up her ballot in
// each round by the (round, voter) key rather than reading every ballot.
func (s *Store) MyBallots(ctx context.Context, userID int64) ([]model.MyBallot, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+roundColumns+`, b.receipt, b.cast_at
		FROM rounds r JOIN ballots b ON b.round_id = r.id AND b.user_id = ?
		`+roundJoins+`
		ORDER BY b.cast_at DESC, r.id DESC`, userID)
	if err != nil {
		return nil, fmt.Errorf("ballots of user %d: %w", userID, err)
	}
	defer rows.Close()
	now := s.nowUTC()
	var out []model.MyBallot
	for rows.Next() {
		var b model.MyBallot
		if err := scanRound(scanPlus{rows, []any{&b.Receipt, &b.CastAt}}, &b.Round, now); err != nil {
			return nil, fmt.Errorf("ballots of user %d: %w", userID, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// scanPlus scans a round's columns and then more.
type scanPlus struct {
	row  interface{ Scan(...any) error }
	more []any
}

func (p scanPlus) Scan(dest ...any) error { return p.row.Scan(append(dest, p.more...)...) }

// FindReceipt looks a receipt up among a round's published ballots: its
// marks as published, and whether it is there. Only a counted round's
// ballots are published.
func (s *Store) FindReceipt(ctx context.Context, roundID int64, receipt string) (model.PublishedBallot, bool, error) {
	var b model.PublishedBallot
	var marks string
	err := s.r.QueryRowContext(ctx, `
		SELECT b.receipt, b.marks FROM ballots b JOIN rounds r ON r.id = b.round_id
		WHERE b.receipt = ? AND b.round_id = ? AND r.closed_at IS NOT NULL`, receipt, roundID).Scan(&b.Receipt, &marks)
	if errors.Is(err, sql.ErrNoRows) {
		return b, false, nil
	}
	if err != nil {
		return b, false, fmt.Errorf("receipt in round %d: %w", roundID, err)
	}
	b.Marks = []byte(marks)
	return b, true, nil
}
