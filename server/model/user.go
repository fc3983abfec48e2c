package model

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
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
	DisabledAt        time.Time // zero: the account is on
	ErasedAt          time.Time // zero: not erased
}

// Disabled reports whether a facilitator has switched the account off.
func (u User) Disabled() bool { return !u.DisabledAt.IsZero() }

// Erased reports whether the resident's name and account are gone.
func (u User) Erased() bool { return !u.ErasedAt.IsZero() }

// SignInName is what the person signs in with: their email address, or a
// resident's name.
func (u User) SignInName() string {
	if u.Role == Resident {
		return u.Name
	}
	return u.Email
}

// Status is the account's state in words: "active", "switched off" or
// "erased".
func (u User) Status() string {
	switch {
	case u.Erased():
		return "erased"
	case u.Disabled():
		return "switched off"
	}
	return "active"
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

// CheckPassword says what is wrong with a new password, or nil.
func CheckPassword(p string) error {
	switch {
	case len([]rune(p)) < MinPasswordLen:
		return Invalid("password", "invalid.password.short", "Min", MinPasswordLen)
	case len(p) > MaxPasswordLen:
		return Invalid("password", "invalid.password.long", "Max", MaxPasswordLen)
	}
	return nil
}

// CheckName says what is wrong with a person's name, or nil. A resident's
// name is also what they sign in with.
func CheckName(name string, role Role) error {
	switch {
	case !utf8.ValidString(name):
		return Invalid("name", "invalid.name.unreadable")
	case role == Resident && strings.Contains(name, "@"):
		return Invalid("name", "invalid.name.at_sign")
	case strings.TrimSpace(name) == "":
		return Invalid("name", "invalid.name.empty")
	case len([]rune(name)) > 100:
		return Invalid("name", "invalid.name.long")
	case strings.EqualFold(strings.TrimSpace(name), FormerResident):
		return Invalid("name", "invalid.name.former_resident")
	}
	return nil
}

// Validate says what is wrong with a new user, or nil.
func (u NewUser) Validate() error {
	switch {
	case !utf8.ValidString(u.Name):
		return Invalid("name", "invalid.name.unreadable")
	case !utf8.ValidString(u.Email):
		return Invalid("email", "invalid.email.unreadable")
	}
	if u.Role != Resident {
		if _, err := mail.ParseAddress(u.Email); err != nil || strings.ContainsAny(u.Email, " <>") {
			return Invalid("email", "invalid.email.bad")
		}
	}
	switch {
	case u.Role == Resident && u.Email != "":
		return Invalid("email", "invalid.email.resident")
	case u.Role == Resident && u.NeighbourhoodID == 0:
		return Invalid("neighbourhood", "invalid.user.neighbourhood_needed")
	case u.Role != Resident && u.NeighbourhoodID != 0:
		return Invalid("neighbourhood", "invalid.user.neighbourhood_not_resident")
	}
	if err := CheckName(u.Name, u.Role); err != nil {
		return err
	}
	switch {
	case !u.Role.Valid():
		return Invalid("role", "invalid.user.role")
	case u.Role == Partner && u.OrganisationID == 0:
		return Invalid("organisation", "invalid.user.organisation_needed")
	case u.Role != Partner && u.OrganisationID != 0:
		return Invalid("organisation", "invalid.user.organisation_not_partner")
	}
	return CheckPassword(u.Password)
}
