package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"wordgarden/server/model"
)

// accountIn reads an account inside tx. An erased account is gone: it is
// ErrNotFound, like one that never was.
func accountIn(ctx context.Context, tx *txn, id int64) (model.User, error) {
	var u model.User
	row := tx.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = ? AND u.erased_at IS NULL`, id)
	if err := scanUser(row, &u); err != nil {
		return model.User{}, notFound(err, model.ThingUser, id)
	}
	return u, nil
}

// userExists is ErrNotFound unless the account exists and is not erased.
func userExists(ctx context.Context, tx *txn, id int64) error {
	_, err := accountIn(ctx, tx, id)
	return err
}

// Person finds an account that is not erased, for the pages that manage it.
func (s *Store) Person(ctx context.Context, id int64) (model.User, error) {
	u, err := s.User(ctx, id)
	if err == nil && u.Erased() {
		return model.User{}, model.NotFound(model.ThingUser, id)
	}
	return u, err
}

// PersonBySignInName finds an account that is not erased by what its
// owner signs in with: an email address, or a resident's name.
func (s *Store) PersonBySignInName(ctx context.Context, login string) (model.User, error) {
	var u model.User
	login = strings.TrimSpace(login)
	row := s.r.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE `+s.dialect.bySignInName(), login)
	if err := scanUser(row, &u); err != nil {
		return model.User{}, notFound(err, model.ThingUser, login)
	}
	return u, nil
}

// People lists the accounts that are not erased and whose name or email
// holds query (all of them for ""), facilitators first, then partners, then
// residents, by name: at most limit of them, and how many matched.
func (s *Store) People(ctx context.Context, query string, limit int) ([]model.User, int, error) {
	query = strings.TrimSpace(query)
	// instr (strpos), not LIKE: what people type may hold % or _.
	where := s.dialect.pick(`WHERE u.erased_at IS NULL AND (?1 = ''
		OR instr(lower(u.name), lower(?1)) > 0 OR instr(lower(coalesce(u.email, '')), lower(?1)) > 0)`,
		`WHERE u.erased_at IS NULL AND (?1 = ''
		OR strpos(lower(u.name), lower(?1)) > 0 OR strpos(lower(coalesce(u.email, '')), lower(?1)) > 0)`)
	var total int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM users u `+where, query).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count people: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+userFrom+where+`
		ORDER BY u.role = 'facilitator' DESC, u.role = 'resident', lower(u.name), u.id
		LIMIT ?2`, query, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list people: %w", err)
	}
	defer rows.Close()
	var people []model.User
	for rows.Next() {
		var u model.User
		if err := scanUser(rows, &u); err != nil {
			return nil, 0, fmt.Errorf("list people: %w", err)
		}
		people = append(people, u)
	}
	return people, total, rows.Err()
}

// DisableUser switches an account off: it cannot sign in, its sessions end
// at once, and an unused password reset code stops working. by is the
// facilitator doing it (0 from the command line), who cannot switch
// themselves off; nor can the last facilitator whose account is on be
// switched off, or no one could switch anyone back on.
func (s *Store) DisableUser(ctx context.Context, id, by int64) (model.User, error) {
	var u model.User
	err := s.write(ctx, false, func(tx *txn) error {
		var err error
		if u, err = accountIn(ctx, tx, id); err != nil {
			return err
		}
		if id == by {
			return model.Invalid("", "invalid.account.switch_off_own")
		}
		if u.Role == model.Facilitator {
			var others int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = 'facilitator'
				AND id <> ? AND disabled_at IS NULL AND erased_at IS NULL`, id).Scan(&others); err != nil {
				return err
			}
			if others == 0 {
				return model.Invalid("", "invalid.account.last_facilitator", "Name", u.Name)
			}
		}
		if !u.Disabled() {
			u.DisabledAt = s.nowUTC()
			if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, u.DisabledAt, id); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM reset_codes WHERE user_id = ? AND used_at IS NULL`, id); err != nil {
			return err
		}
		_, err = endSessions(ctx, tx, id)
		return err
	})
	if err != nil {
		return model.User{}, accountError(err, "switch off user %d", id)
	}
	s.forgetSessions()
	return u, nil
}

// EnableUser switches an account back on: it can sign in again.
func (s *Store) EnableUser(ctx context.Context, id int64) (model.User, error) {
	var u model.User
	err := s.write(ctx, false, func(tx *txn) error {
		var err error
		if u, err = accountIn(ctx, tx, id); err != nil {
			return err
		}
		u.DisabledAt = time.Time{}
		_, err = tx.ExecContext(ctx, `UPDATE users SET disabled_at = NULL WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return model.User{}, accountError(err, "switch on user %d", id)
	}
	s.forgetSessions()
	return u, nil
}

// RenameUser changes the name a person is shown by. A resident's name is
// also what they sign in with, so it stays unique among residents. The
// wordings and comments they wrote keep the name they were written under.
func (s *Store) RenameUser(ctx context.Context, id int64, name string) (model.User, error) {
	name = strings.TrimSpace(name)
	var u model.User
	err := s.tx(ctx, func(tx *txn) error {
		var err error
		if u, err = accountIn(ctx, tx, id); err != nil {
			return err
		}
		if err := model.CheckName(name, u.Role); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET name = ? WHERE id = ?`, name, id)
		if isUnique(err) {
			return model.InvalidBecause(model.ErrDuplicate, "name", "invalid.name.resident_has_it")
		}
		u.Name = name
		return err
	})
	if err != nil {
		return model.User{}, accountError(err, "rename user %d", id)
	}
	s.forgetSessions()
	return u, nil
}

// ChangePassword sets a new password for a person who knows their current
// one, and ends all their sessions: whoever else was signed in as them is
// signed out. A wrong current password is a *ValidationError for the field
// "current" that wraps ErrBadCredentials.
func (s *Store) ChangePassword(ctx context.Context, id int64, current, next string) error {
	var old string
	err := s.r.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ? AND erased_at IS NULL`, id).Scan(&old)
	if err != nil {
		return notFound(err, model.ThingUser, id)
	}
	if bcrypt.CompareHashAndPassword([]byte(old), []byte(current)) != nil {
		return model.InvalidBecause(model.ErrBadCredentials, "current", "invalid.password.current_wrong")
	}
	if err := model.CheckPassword(next); err != nil {
		return err
	}
	hash, err := s.hashPassword(next)
	if err != nil {
		return err
	}
	err = s.write(ctx, false, func(tx *txn) error {
		// Only over the hash just checked: a change made meanwhile wins.
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`,
			string(hash), id, old)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return model.Invalid("current", "invalid.password.changed_meanwhile")
		}
		_, err = endSessions(ctx, tx, id)
		return err
	})
	if err != nil {
		return accountError(err, "change the password of user %d", id)
	}
	s.forgetSessions()
	return nil
}

// EraseResident takes a resident's name and account out of the database:
// the account row stays, named model.FormerResident and without a
// password, so that their ballots still count (a ballot carries its
// neighbourhood, never a name) and their comments still have an author,
// whose copy of the name is replaced by model.FormerResident too. Their
// sessions and reset codes go. Partners and facilitators are not erased:
// their names are the provenance of the wordings they wrote, which never
// change; switch their accounts off instead.
func (s *Store) EraseResident(ctx context.Context, id int64) (model.User, error) {
	var u model.User
	err := s.tx(ctx, func(tx *txn) error {
		var err error
		if u, err = accountIn(ctx, tx, id); err != nil {
			return err
		}
		if u.Role != model.Resident {
			return model.Invalid("", "invalid.account.erase_residents_only", "Name", u.Name)
		}
		// Zero the bytes the name leaves behind in SQLite's pages, for this
		// transaction, rather than leave them for the next write to happen
		// to cover. (PostgreSQL keeps the old rows until VACUUM: see
		// checkpoint.)
		var wasSecure int
		if s.dialect == sqlite {
			if err := tx.QueryRowContext(ctx, `PRAGMA secure_delete`).Scan(&wasSecure); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `PRAGMA secure_delete = 1`); err != nil {
				return err
			}
		}
		now := s.nowUTC()
		type step struct {
			query string
			args  []any
		}
		steps := []step{
			{`UPDATE users SET name = ?, email = NULL, password_hash = '', disabled_at = NULL, erased_at = ? WHERE id = ?`,
				[]any{model.FormerResident, now, id}},
			{`UPDATE comments SET author_name = ? WHERE author_id = ? AND author_name <> ?`,
				[]any{model.FormerResident, id, model.FormerResident}},
			{`DELETE FROM reset_codes WHERE user_id = ?`, []any{id}},
			{`DELETE FROM sessions WHERE user_id = ?`, []any{id}},
		}
		if s.dialect == sqlite {
			steps = append(steps, step{fmt.Sprintf(`PRAGMA secure_delete = %d`, wasSecure), nil})
		}
		for _, st := range steps {
			if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
				return err
			}
		}
		u.ErasedAt = now
		return nil
	})
	if err != nil {
		return model.User{}, accountError(err, "erase user %d", id)
	}
	s.forgetSessions()
	// Older copies of the changed pages are in the write-ahead log until a
	// checkpoint writes the new ones over the database file; truncating the
	// log then drops them. Readers in the middle of a query can keep the
	// log from being truncated, which a later checkpoint does instead, so
	// a failure here is not the erasure's.
	s.checkpoint(ctx)
	return u, nil
}

// checkpoint copies the write-ahead log into the database file and
// truncates the log, if no reader needs it, in the writer's turn. On
// PostgreSQL it vacuums the tables an erasure changed, so that the old
// rows' space is reused; their bytes stay in the files until it is.
func (s *Store) checkpoint(ctx context.Context) {
	if s.dialect == postgres {
		s.w.ExecContext(ctx, `VACUUM users, comments, reset_codes, sessions`)
		return
	}
	select {
	case s.writing <- struct{}{}:
	case <-ctx.Done():
		return
	}
	defer func() { <-s.writing }()
	s.w.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
}

// accountError passes on the errors a person can act on (a missing account,
// input to correct) and wraps the rest with what was being done.
func accountError(err error, format string, args ...any) error {
	var ve *model.ValidationError
	if err == nil || errors.As(err, &ve) || errors.Is(err, model.ErrNotFound) {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
