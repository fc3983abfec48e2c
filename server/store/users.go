package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"wordgarden/server/model"
)

// CreateUser adds a user with a hashed password. A taken email gives
// ErrDuplicate; bad input gives a *ValidationError.
func (s *Store) CreateUser(ctx context.Context, nu model.NewUser) (model.User, error) {
	nu.Email = strings.TrimSpace(nu.Email)
	nu.Name = strings.TrimSpace(nu.Name)
	if err := nu.Validate(); err != nil {
		return model.User{}, err
	}
	hash, err := s.hashPassword(nu.Password)
	if err != nil {
		return model.User{}, err
	}
	var id int64
	err = s.tx(ctx, func(tx *txn) error {
		id, err = insertUser(ctx, tx, nu, hash, s.nowUTC())
		return err
	})
	if err != nil {
		return model.User{}, err
	}
	return s.User(ctx, id)
}

func (s *Store) hashPassword(p string) ([]byte, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(p), s.passwordCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// insertUser writes a checked user inside tx.
func insertUser(ctx context.Context, tx *txn, nu model.NewUser, hash []byte, now time.Time) (int64, error) {
	var id int64
	email := sql.NullString{String: nu.Email, Valid: nu.Email != ""}
	err := tx.QueryRowContext(ctx, `
		INSERT INTO users (email, name, role, organisation_id, neighbourhood_id, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		email, nu.Name, nu.Role, nullInt(nu.OrganisationID), nullInt(nu.NeighbourhoodID), string(hash), now).Scan(&id)
	switch {
	case isUnique(err) && nu.Role == model.Resident:
		return 0, model.InvalidBecause(model.ErrDuplicate, "name", "invalid.name.joined_already")
	case isUnique(err):
		return 0, model.InvalidBecause(model.ErrDuplicate, "email", "invalid.email.taken")
	case err != nil:
		return 0, fmt.Errorf("create user %q: %w", nu.Name, err)
	}
	return id, nil
}

const userColumns = `u.id, coalesce(u.email, ''), u.name, u.role, coalesce(u.organisation_id, 0),
	coalesce(o.name, ''), coalesce(o.sector, ''), coalesce(u.neighbourhood_id, 0),
	coalesce(n.name, ''), coalesce(n.slug, ''), u.created_at, u.disabled_at, u.erased_at`

// userFrom joins what a User needs; its alias for users is u.
const userFrom = ` FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
	LEFT JOIN neighbourhoods n ON n.id = u.neighbourhood_id `

func scanUser(row interface{ Scan(...any) error }, u *model.User, extra ...any) error {
	var disabled, erased sql.NullTime
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.OrganisationID,
		&u.OrganisationName, &u.Sector, &u.NeighbourhoodID, &u.NeighbourhoodName,
		&u.NeighbourhoodSlug, &u.CreatedAt, &disabled, &erased}, extra...)...)
	u.DisabledAt, u.ErasedAt = disabled.Time, erased.Time
	return err
}

// User finds a user by id.
func (s *Store) User(ctx context.Context, id int64) (model.User, error) {
	var u model.User
	row := s.r.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = ?`, id)
	if err := scanUser(row, &u); err != nil {
		return model.User{}, notFound(err, model.ThingUser, id)
	}
	return u, nil
}

// Users lists every user but the erased, facilitators first, then by name.
func (s *Store) Users(ctx context.Context) ([]model.User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+userFrom+`
		WHERE u.erased_at IS NULL
		ORDER BY u.role = 'facilitator' DESC, u.role = 'resident', lower(u.name), u.id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []model.User
	for rows.Next() {
		var u model.User
		if err := scanUser(rows, &u); err != nil {
			return nil, fmt.Errorf("list users: %w", err)
		}
		users = append(users, u)
	}
	return users, rows.Err()
}

// Authenticate returns the user with this sign-in name (an email address, or
// a resident's name) and password, or ErrBadCredentials. It spends the same
// hashing time whether or not the name exists, so timing does not tell which
// accounts there are. A switched-off account with the right password gives
// ErrDisabled: only someone who knows the password learns that.
func (s *Store) Authenticate(ctx context.Context, login, password string) (model.User, error) {
	var u model.User
	var hash string
	login = strings.TrimSpace(login)
	row := s.r.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash`+userFrom+`
		WHERE `+s.dialect.bySignInName(), login)
	err := scanUser(row, &u, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
		return model.User{}, model.ErrBadCredentials
	}
	if err != nil {
		return model.User{}, fmt.Errorf("sign in %s: %w", login, err)
	}
	if hash == "" {
		// A resident registered at an event who has not chosen a
		// password yet: no password opens the account. Spend the time
		// all the same.
		bcrypt.CompareHashAndPassword(s.dummyHash, []byte(password))
		return model.User{}, model.ErrBadCredentials
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return model.User{}, model.ErrBadCredentials
	}
	if u.Disabled() {
		return model.User{}, model.ErrDisabled
	}
	return u, nil
}

// bySignInName is the condition that finds an account by what its owner
// signs in with, the query's first argument: an email address, or a
// resident's name in any letter case. Erased accounts have neither (their
// email is NULL, and their name stands for every erased resident). Each
// dialect's way of ignoring case is the one its unique index of residents'
// names is on.
func (d dialect) bySignInName() string {
	return d.pick(`(u.email = ?1
	OR (u.role = 'resident' AND u.erased_at IS NULL AND u.name = ?1 COLLATE NOCASE))`, `(u.email = ?1
	OR (u.role = 'resident' AND u.erased_at IS NULL AND lower(u.name) = lower(?1)))`)
}

// CountUsers counts the users with a role.
func (s *Store) CountUsers(ctx context.Context, role model.Role) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = ?`, role).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s users: %w", role, err)
	}
	return n, nil
}

// notFound is the error of a lookup of one thing by key: a
// *model.NotFoundError for sql.ErrNoRows, else err with the thing named.
func notFound(err error, thing model.Thing, key any) error {
	// PostgreSQL refuses a key that is not UTF-8 (SQLite finds no row for
	// it): no such key can have been stored.
	if errors.Is(err, sql.ErrNoRows) || pgCode(err) == pgInvalidText {
		return model.NotFound(thing, key)
	}
	return fmt.Errorf("%s %v: %w", thing, key, err)
}
