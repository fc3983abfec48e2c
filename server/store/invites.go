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
		return nil, model.Invalid("count", "Choose how many codes to print: from 1 to %d.", model.MaxInvites)
	}
	now := s.nowUTC()
	if !expires.IsZero() && !expires.After(now) {
		return nil, model.Invalid("expires", "The expiry date has passed: choose a later one, or none.")
	}
	exp := sql.NullTime{Time: expires.UTC(), Valid: !expires.IsZero()}
	codes := make([]string, 0, count)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for len(codes) < count {
			code := randomCode(model.CodeLen)
			_, err := tx.ExecContext(ctx, `
				INSERT INTO invites (code_hash, neighbourhood_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
				hashCode(code), neighbourhoodID, now, exp)
			if isUnique(err) {
				continue // the same code twice: draw again
			}
			if err != nil {
				return err
			}
			codes = append(codes, model.FormatCode(code))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create invites for neighbourhood %d: %w", neighbourhoodID, err)
	}
	return codes, nil
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
	err = s.tx(ctx, func(tx *sql.Tx) error {
		now := s.nowUTC()
		var inviteID, neighbourhood int64
		var used, expires sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT id, neighbourhood_id, used_at, expires_at FROM invites WHERE code_hash = ?`,
			hashCode(model.NormaliseCode(code))).Scan(&inviteID, &neighbourhood, &used, &expires)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return &model.ValidationError{Field: "code", Err: model.ErrBadCode,
				Message: "That code is not right. Check each letter and number, and try again."}
		case err != nil:
			return err
		case used.Valid:
			return &model.ValidationError{Field: "code", Err: model.ErrBadCode,
				Message: "That code has already been used. Each code is for one person: ask the organisers for a new one."}
		case expires.Valid && !expires.Time.After(now):
			return &model.ValidationError{Field: "code", Err: model.ErrBadCode,
				Message: "That code has expired. Ask the organisers for a new one."}
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
