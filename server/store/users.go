package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Role says what a user may do; see the table in DESIGN.md.
type Role string

const (
	Resident    Role = "resident"
	Partner     Role = "partner"
	Facilitator Role = "facilitator"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == Resident || r == Partner || r == Facilitator }

// Password rules. bcrypt reads at most 72 bytes, so longer passwords are
// refused rather than silently cut.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 72
)

// bcryptCost is the work factor of password hashes; tests lower it.
var bcryptCost = bcrypt.DefaultCost

// ErrBadCredentials means a sign-in name and password do not match a user.
var ErrBadCredentials = errors.New("sign-in name or password is not right")

// User is a person who can sign in.
type User struct {
	ID                int64
	Email             string
	Name              string
	Role              Role
	OrganisationID    int64 // partners only
	OrganisationName  string
	Sector            Sector
	NeighbourhoodID   int64 // residents only
	NeighbourhoodName string
	NeighbourhoodSlug string
	CreatedAt         time.Time
}

// NewUser is what CreateUser needs.
type NewUser struct {
	Email           string // partners and facilitators; residents have none
	Name            string
	Role            Role
	OrganisationID  int64 // required for partners, refused for others
	NeighbourhoodID int64 // required for residents, refused for others
	Password        string
}

// ValidationError says what is wrong with input, in words for the person who
// typed it. Field names the form field, when there is one.
type ValidationError struct {
	Field   string
	Message string
	Err     error // the cause, if any, such as ErrDuplicate
}

func (e *ValidationError) Error() string { return e.Message }
func (e *ValidationError) Unwrap() error { return e.Err }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// CheckPassword says what is wrong with a new password, or nil.
func CheckPassword(p string) error {
	switch {
	case len([]rune(p)) < MinPasswordLen:
		return invalid("password", "Choose a password of at least %d characters. A few everyday words in a row make a good one.", MinPasswordLen)
	case len(p) > MaxPasswordLen:
		return invalid("password", "Choose a password of at most %d bytes.", MaxPasswordLen)
	}
	return nil
}

func (u NewUser) check() error {
	switch {
	case !utf8.ValidString(u.Name):
		return invalid("name", "The name has characters that could not be read. Type it again.")
	case !utf8.ValidString(u.Email):
		return invalid("email", "The email address has characters that could not be read. Type it again.")
	}
	if u.Role != Resident {
		if _, err := mail.ParseAddress(u.Email); err != nil || strings.ContainsAny(u.Email, " <>") {
			return invalid("email", "Enter an email address, like name@example.org.")
		}
	}
	switch {
	case u.Role == Resident && u.Email != "":
		return invalid("email", "Residents sign in with their name, not an email address.")
	case u.Role == Resident && strings.Contains(u.Name, "@"):
		return invalid("name", "Leave out the @ sign: you will sign in with this name.")
	case u.Role == Resident && u.NeighbourhoodID == 0:
		return invalid("neighbourhood", "A resident belongs to a neighbourhood.")
	case u.Role != Resident && u.NeighbourhoodID != 0:
		return invalid("neighbourhood", "Only residents belong to a neighbourhood.")
	case strings.TrimSpace(u.Name) == "":
		return invalid("name", "Enter a name.")
	case len([]rune(u.Name)) > 100:
		return invalid("name", "Keep the name to 100 characters.")
	case !u.Role.Valid():
		return invalid("role", "Choose a role: resident, partner or facilitator.")
	case u.Role == Partner && u.OrganisationID == 0:
		return invalid("organisation", "A partner belongs to an organisation: choose one.")
	case u.Role != Partner && u.OrganisationID != 0:
		return invalid("organisation", "Only partners belong to an organisation.")
	}
	return CheckPassword(u.Password)
}

// CreateUser adds a user with a hashed password. A taken email gives
// ErrDuplicate; bad input gives a *ValidationError.
func (s *Store) CreateUser(ctx context.Context, nu NewUser) (User, error) {
	nu.Email = strings.TrimSpace(nu.Email)
	nu.Name = strings.TrimSpace(nu.Name)
	if err := nu.check(); err != nil {
		return User{}, err
	}
	hash, err := hashPassword(nu.Password)
	if err != nil {
		return User{}, err
	}
	var id int64
	err = s.tx(ctx, func(tx *sql.Tx) error {
		id, err = insertUser(ctx, tx, nu, hash, s.nowUTC())
		return err
	})
	if err != nil {
		return User{}, err
	}
	return s.User(ctx, id)
}

func hashPassword(p string) ([]byte, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(p), bcryptCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// insertUser writes a checked user inside tx.
func insertUser(ctx context.Context, tx *sql.Tx, nu NewUser, hash []byte, now time.Time) (int64, error) {
	var id int64
	email := sql.NullString{String: nu.Email, Valid: nu.Email != ""}
	err := tx.QueryRowContext(ctx, `
		INSERT INTO users (email, name, role, organisation_id, neighbourhood_id, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		email, nu.Name, nu.Role, nullInt(nu.OrganisationID), nullInt(nu.NeighbourhoodID), string(hash), now).Scan(&id)
	switch {
	case isUnique(err) && nu.Role == Resident:
		return 0, &ValidationError{Field: "name", Err: ErrDuplicate,
			Message: "Someone has already joined with this name. Add your surname or a word of your own."}
	case isUnique(err):
		return 0, &ValidationError{Field: "email", Err: ErrDuplicate,
			Message: "There is already an account with this email address."}
	case err != nil:
		return 0, fmt.Errorf("create user %q: %w", nu.Name, err)
	}
	return id, nil
}

const userColumns = `u.id, coalesce(u.email, ''), u.name, u.role, coalesce(u.organisation_id, 0),
	coalesce(o.name, ''), coalesce(o.sector, ''), coalesce(u.neighbourhood_id, 0),
	coalesce(n.name, ''), coalesce(n.slug, ''), u.created_at`

// userFrom joins what a User needs; its alias for users is u.
const userFrom = ` FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
	LEFT JOIN neighbourhoods n ON n.id = u.neighbourhood_id `

func scanUser(row interface{ Scan(...any) error }, u *User, extra ...any) error {
	return row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.OrganisationID,
		&u.OrganisationName, &u.Sector, &u.NeighbourhoodID, &u.NeighbourhoodName,
		&u.NeighbourhoodSlug, &u.CreatedAt}, extra...)...)
}

// User finds a user by id.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	var u User
	row := s.r.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = ?`, id)
	if err := scanUser(row, &u); err != nil {
		return User{}, fmt.Errorf("user %d: %w", id, notFound(err))
	}
	return u, nil
}

// Users lists every user, facilitators first, then by name.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+userColumns+userFrom+`
		ORDER BY u.role = 'facilitator' DESC, u.role = 'resident', u.name COLLATE NOCASE, u.id`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var users []User
	for rows.Next() {
		var u User
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
// accounts there are.
func (s *Store) Authenticate(ctx context.Context, login, password string) (User, error) {
	var u User
	var hash string
	login = strings.TrimSpace(login)
	row := s.r.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash`+userFrom+`
		WHERE u.email = ?1 OR (u.role = 'resident' AND u.name = ?1 COLLATE NOCASE)`, login)
	err := scanUser(row, &u, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("sign in %s: %w", login, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil {
		return User{}, ErrBadCredentials
	}
	return u, nil
}

// dummyHash is compared against when an email is unknown.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such user, no such password"), bcrypt.DefaultCost)

// CountUsers counts the users with a role.
func (s *Store) CountUsers(ctx context.Context, role Role) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE role = ?`, role).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count %s users: %w", role, err)
	}
	return n, nil
}

// notFound turns sql.ErrNoRows into ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}
