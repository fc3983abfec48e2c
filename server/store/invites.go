package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"wordgarden/server/model"
)

// codeAlphabet has no 0/O, 1/I/L or U/V pairs, so a code can be read aloud and
// typed without doubt.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// randomCode returns n letters from codeAlphabet.
func randomCode(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		// 256 % 29 leaves a small bias; reject and redraw instead.
		for int(b[i]) >= 256/len(codeAlphabet)*len(codeAlphabet) {
			var one [1]byte
			rand.Read(one[:])
			b[i] = one[0]
		}
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

func hashCode(code string) []byte {
	h := sha256.Sum256([]byte("wordgarden invite " + code))
	return h[:]
}

// CreateInvites issues count one-time codes for a neighbourhood, valid until
// expires (zero: no expiry), and returns them formatted for printing. The
// codes themselves are not kept.
func (s *Store) CreateInvites(ctx context.Context, neighbourhoodID int64, count int, expires time.Time) ([]string, error) {
	if count < 1 || count > model.MaxInvites {
		return nil, model.Invalid("count", "invalid.invite.count", "Max", model.MaxInvites)
	}
	now := s.nowUTC()
	if !expires.IsZero() && !expires.After(now) {
		return nil, model.Invalid("expires", "invalid.invite.expiry_passed")
	}
	exp := sql.NullTime{Time: storedTime(expires), Valid: !expires.IsZero()}
	var codes []string
	err := s.tx(ctx, func(tx *txn) error {
		var err error
		codes, err = insertInvites(ctx, tx, neighbourhoodID, count, now, exp)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("create invites for neighbourhood %d: %w", neighbourhoodID, err)
	}
	return codes, nil
}

// insertInvites issues count codes inside tx, made at now, and returns them
// formatted for printing.
func insertInvites(ctx context.Context, tx *txn, neighbourhoodID int64, count int, now time.Time, exp sql.NullTime) ([]string, error) {
	codes := make([]string, 0, count)
	for len(codes) < count {
		code := randomCode(model.CodeLen)
		_, err := tx.ExecContext(ctx, `
			INSERT INTO invites (code_hash, neighbourhood_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hashCode(code), neighbourhoodID, now, exp)
		if isUnique(err) {
			continue // the same code twice: draw again
		}
		if err != nil {
			return nil, err
		}
		codes = append(codes, model.FormatCode(code))
	}
	return codes, nil
}

// unusedInvite is the condition on an invite that it can still be used at
// ?1: not used, and not expired or cancelled.
const unusedInvite = `used_at IS NULL AND (expires_at IS NULL OR expires_at > ?1)`

// InviteBatches lists a neighbourhood's print runs of invite codes that
// still have unused codes, newest first.
func (s *Store) InviteBatches(ctx context.Context, neighbourhoodID int64) ([]model.InviteBatch, error) {
	// The codes of one run share their making time (CreateInvites), and
	// the unused ones their expiry.
	rows, err := s.r.QueryContext(ctx, `
		SELECT min(i.id), i.created_at, i.expires_at,
			(SELECT count(*) FROM invites WHERE neighbourhood_id = ?2 AND created_at = i.created_at),
			count(*)
		FROM invites i WHERE i.neighbourhood_id = ?2 AND i.`+unusedInvite+`
		GROUP BY i.created_at, i.expires_at ORDER BY i.created_at DESC`, s.nowUTC(), neighbourhoodID)
	if err != nil {
		return nil, fmt.Errorf("invite batches of neighbourhood %d: %w", neighbourhoodID, err)
	}
	defer rows.Close()
	var out []model.InviteBatch
	for rows.Next() {
		var b model.InviteBatch
		var exp sql.NullTime
		if err := rows.Scan(&b.ID, &b.CreatedAt, &exp, &b.Printed, &b.Unused); err != nil {
			return nil, fmt.Errorf("invite batches of neighbourhood %d: %w", neighbourhoodID, err)
		}
		b.Expires = exp.Time
		out = append(out, b)
	}
	return out, rows.Err()
}

// errNoBatch is the answer to a batch that has no unused codes left, or
// is not the neighbourhood's.
var errNoBatch = model.InvalidBecause(model.ErrNotFound, "batch", "invalid.invite.batch_gone")

// CancelInvites makes the unused codes of one of a neighbourhood's print
// runs (named by InviteBatch.ID) stop working, and returns how many there
// were. A cancelled code reads as expired to whoever types it.
func (s *Store) CancelInvites(ctx context.Context, neighbourhoodID, batchID int64) (int, error) {
	var n int
	err := s.tx(ctx, func(tx *txn) error {
		var err error
		n, _, err = cancelBatch(ctx, tx, neighbourhoodID, batchID, s.nowUTC())
		return err
	})
	if err != nil {
		return 0, accountError(err, "cancel invites of batch %d", batchID)
	}
	return n, nil
}

// ReprintInvites cancels the unused codes of a print run and issues as many
// new ones, with the same expiry, in one transaction: only hashes are kept,
// so the old codes cannot be shown again. It returns the new codes,
// formatted for printing, and their expiry (zero: none).
func (s *Store) ReprintInvites(ctx context.Context, neighbourhoodID, batchID int64) ([]string, time.Time, error) {
	var codes []string
	var exp sql.NullTime
	err := s.tx(ctx, func(tx *txn) error {
		now := s.nowUTC()
		n, e, err := cancelBatch(ctx, tx, neighbourhoodID, batchID, now)
		if err != nil {
			return err
		}
		exp = e
		codes, err = insertInvites(ctx, tx, neighbourhoodID, n, now, exp)
		return err
	})
	if err != nil {
		return nil, time.Time{}, accountError(err, "reprint invites of batch %d", batchID)
	}
	return codes, exp.Time, nil
}

// cancelBatch cancels the unused codes of a neighbourhood's print run
// inside tx, by making them expire now, and returns how many there were
// and when they were to expire.
func cancelBatch(ctx context.Context, tx *txn, neighbourhoodID, batchID int64, now time.Time) (int, sql.NullTime, error) {
	const batch = ` FROM invites WHERE neighbourhood_id = ?2 AND ` + unusedInvite + `
		AND created_at = (SELECT created_at FROM invites WHERE id = ?3 AND neighbourhood_id = ?2)`
	var exp sql.NullTime
	err := tx.QueryRowContext(ctx, `SELECT expires_at`+batch+` LIMIT 1`, now, neighbourhoodID, batchID).Scan(&exp)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, exp, errNoBatch
	}
	if err != nil {
		return 0, exp, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE invites SET expires_at = ?1 WHERE id IN (SELECT id`+batch+`)`,
		now, neighbourhoodID, batchID)
	if err != nil {
		return 0, exp, err
	}
	n, err := res.RowsAffected()
	return int(n), exp, err
}

// CancelInvite makes one unused code of a neighbourhood stop working, such
// as one whose slip went astray, typed from the slip or a list of codes.
func (s *Store) CancelInvite(ctx context.Context, neighbourhoodID int64, code string) error {
	err := s.tx(ctx, func(tx *txn) error {
		now := s.nowUTC()
		var used, expires sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT used_at, expires_at FROM invites WHERE code_hash = ? AND neighbourhood_id = ?`,
			hashCode(model.NormaliseCode(code)), neighbourhoodID).Scan(&used, &expires)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return model.InvalidBecause(model.ErrBadCode, "code", "invalid.invite.cancel_unknown")
		case err != nil:
			return err
		case used.Valid:
			return model.InvalidBecause(model.ErrBadCode, "code", "invalid.invite.cancel_used")
		case expires.Valid && !expires.Time.After(now):
			return model.InvalidBecause(model.ErrBadCode, "code", "invalid.invite.cancel_expired")
		}
		_, err = tx.ExecContext(ctx, `UPDATE invites SET expires_at = ? WHERE code_hash = ?`,
			now, hashCode(model.NormaliseCode(code)))
		return err
	})
	return accountError(err, "cancel an invite code of neighbourhood %d", neighbourhoodID)
}

// Join spends an invite code and makes a resident of its neighbourhood, in
// one transaction: of two people racing for one code, one joins and the other
// is told the code is used.
func (s *Store) Join(ctx context.Context, code, name, password string) (model.User, error) {
	// Check name and password before the code: the neighbourhood, which the
	// code decides, is filled in below.
	nu := model.NewUser{Name: strings.TrimSpace(name), Role: model.Resident, NeighbourhoodID: -1, Password: password}
	if err := nu.Validate(); err != nil {
		return model.User{}, err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return model.User{}, err
	}
	var id int64
	err = s.tx(ctx, func(tx *txn) error {
		now := s.nowUTC()
		var inviteID, neighbourhood int64
		var used, expires sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT id, neighbourhood_id, used_at, expires_at FROM invites WHERE code_hash = ?`,
			hashCode(model.NormaliseCode(code))).Scan(&inviteID, &neighbourhood, &used, &expires)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return model.InvalidBecause(model.ErrBadCode, "code", "invalid.invite.unknown")
		case err != nil:
			return err
		case used.Valid:
			return model.InvalidBecause(model.ErrBadCode, "code", "invalid.invite.used")
		case expires.Valid && !expires.Time.After(now):
			return model.InvalidBecause(model.ErrBadCode, "code", "invalid.invite.expired")
		}
		nu.NeighbourhoodID = neighbourhood
		if id, err = insertUser(ctx, tx, nu, hash, now); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE invites SET used_at = ?, user_id = ? WHERE id = ? AND used_at IS NULL`,
			now, id, inviteID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("invite %d was spent twice", inviteID)
		}
		return nil
	})
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return model.User{}, err
	}
	if err != nil {
		return model.User{}, fmt.Errorf("join: %w", err)
	}
	return s.User(ctx, id)
}
