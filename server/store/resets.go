package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"wordgarden/server/model"
)

func hashResetCode(code string) []byte {
	h := sha256.Sum256([]byte("wordgarden reset " + code))
	return h[:]
}

// CreateResetCode makes a one-time code with which a person chooses a new
// password, for a facilitator (by; 0 from the command line) to hand over.
// It works for model.ResetCodeTTL and replaces any code the person had not
// used. Only its hash is kept: the code is returned once. For an account
// with no password yet (a resident registered at an event who lost her
// slip) it is a welcome code again, which works for model.WelcomeCodeTTL.
func (s *Store) CreateResetCode(ctx context.Context, userID, by int64) (model.ResetCode, error) {
	var rc model.ResetCode
	err := s.write(ctx, false, func(tx *txn) error {
		u, err := accountIn(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Disabled() {
			return model.Invalid("", "invalid.reset.switched_off", "Name", u.Name)
		}
		var noPassword bool
		if err := tx.QueryRowContext(ctx, `SELECT password_hash = '' FROM users WHERE id = ?`, userID).Scan(&noPassword); err != nil {
			return err
		}
		rc, err = insertResetCode(ctx, tx, u, by, s.nowUTC(), noPassword)
		return err
	})
	if err != nil {
		return model.ResetCode{}, accountError(err, "make a reset code for user %d", userID)
	}
	return rc, nil
}

// insertResetCode makes u's one-time code inside tx, in place of any she
// had not used; a welcome code (for a first password) works longer.
func insertResetCode(ctx context.Context, tx *txn, u model.User, by int64, now time.Time, welcome bool) (model.ResetCode, error) {
	if _, err := tx.ExecContext(ctx, `DELETE FROM reset_codes WHERE user_id = ? AND used_at IS NULL`, u.ID); err != nil {
		return model.ResetCode{}, err
	}
	ttl := model.ResetCodeTTL
	if welcome {
		ttl = model.WelcomeCodeTTL
	}
	rc := model.ResetCode{User: u, Expires: now.Add(ttl), Welcome: welcome}
	for rc.Code == "" {
		code := randomCode(model.CodeLen)
		_, err := tx.ExecContext(ctx, `
			INSERT INTO reset_codes (code_hash, user_id, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			hashResetCode(code), u.ID, nullInt(by), now, rc.Expires)
		if isUnique(err) {
			continue // the same code twice: draw again
		}
		if err != nil {
			return model.ResetCode{}, err
		}
		rc.Code = model.FormatCode(code)
	}
	return rc, nil
}

// errResetRefused is the answer to any reset code that cannot be used with
// the sign-in name given: it does not say whether the code or the name was
// wrong, so a guesser learns nothing from it.
var errResetRefused = model.InvalidBecause(model.ErrBadCode, "code", "invalid.reset.refused")

// ResetPassword spends a reset code: if it was made for the account that
// signs in with login, is unused and has not expired, the account's
// password becomes password and every session of theirs ends, all in one
// transaction. Any other code is a *ValidationError that wraps ErrBadCode.
// first reports that the account had no password before: a resident
// registered at an event has chosen her first.
func (s *Store) ResetPassword(ctx context.Context, login, code, password string) (u model.User, first bool, err error) {
	if err := model.CheckPassword(password); err != nil {
		return model.User{}, false, err
	}
	hash, err := s.hashPassword(password)
	if err != nil {
		return model.User{}, false, err
	}
	login = strings.TrimSpace(login)
	err = s.write(ctx, false, func(tx *txn) error {
		now := s.nowUTC()
		var codeID int64
		row := tx.QueryRowContext(ctx, `SELECT `+userColumns+`, r.id, u.password_hash = ''`+userFrom+`
			JOIN reset_codes r ON r.user_id = u.id
			WHERE r.code_hash = ?2 AND r.used_at IS NULL AND r.expires_at > ?3
				AND u.disabled_at IS NULL AND `+s.dialect.bySignInName(),
			login, hashResetCode(model.NormaliseCode(code)), now)
		err := scanUser(row, &u, &codeID, &first)
		if errors.Is(err, sql.ErrNoRows) {
			return errResetRefused
		}
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE reset_codes SET used_at = ? WHERE id = ? AND used_at IS NULL`, now, codeID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("reset code %d was spent twice", codeID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, string(hash), u.ID); err != nil {
			return err
		}
		_, err = endSessions(ctx, tx, u.ID)
		return err
	})
	if err != nil {
		return model.User{}, false, accountError(err, "reset a password")
	}
	s.forgetSessions()
	return u, first, nil
}
