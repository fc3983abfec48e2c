package model

import (
	"errors"
	"fmt"

	"wordgarden/server/i18n"
)

var (
	// ErrNotFound means the thing asked for does not exist. The store
	// answers with a *NotFoundError, which is ErrNotFound for errors.Is.
	ErrNotFound = errors.New("not found")
	// ErrDuplicate means a unique name is taken.
	ErrDuplicate = errors.New("already exists")
	// ErrClosed means a round no longer takes ballots.
	ErrClosed = errors.New("round is closed")
	// ErrBadCredentials means a sign-in name and password do not match a
	// user.
	ErrBadCredentials = errors.New("sign-in name or password is not right")
	// ErrBadCode means an invite code is unknown, used or expired; the
	// ValidationError that wraps it says which.
	ErrBadCode = errors.New("invite code cannot be used")
	// ErrTooManyComments means the writer has posted as many comments as
	// the spam limit allows in the last minute.
	ErrTooManyComments = errors.New("too many comments in a minute")
)

// ErrAlreadyHidden is the answer to hiding a comment that is hidden
// already, say by another facilitator a moment before. It is a
// ValidationError too.
var ErrAlreadyHidden = Invalid("", "invalid.comment.hidden_already")

// Thing names a kind of thing the store keeps, so that a message about a
// missing one can say what was missing.
type Thing string

const (
	ThingTerm          Thing = "term"
	ThingVersion       Thing = "version"
	ThingRound         Thing = "round"
	ThingComment       Thing = "comment"
	ThingUser          Thing = "user"
	ThingSession       Thing = "session"
	ThingOrganisation  Thing = "organisation"
	ThingNeighbourhood Thing = "neighbourhood"
	ThingLocalWord     Thing = "local word"
	ThingEasyRead      Thing = "Easy Read version"
	ThingPaperPrint    Thing = "print run"
)

// NotFoundError says which thing was asked for and does not exist.
type NotFoundError struct {
	Thing Thing
	Key   string // the id, slug or name asked for
}

// NotFound is the error for a missing thing, named by its key.
func NotFound(thing Thing, key any) error {
	return &NotFoundError{Thing: thing, Key: fmt.Sprint(key)}
}

func (e *NotFoundError) Error() string { return fmt.Sprintf("%s %s: not found", e.Thing, e.Key) }

// Is makes errors.Is(err, ErrNotFound) hold.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// ValidationError says what is wrong with input. Field names the form
// field, when there is one. ID names the message that says it in the
// reader's language (server/i18n/locales/validation.*.toml), with Args its
// placeholders as name, value pairs; Message is that message in English,
// for logs, the command line and Error.
type ValidationError struct {
	Field   string
	ID      string
	Args    []any
	Message string
	Err     error // the cause, if any, such as ErrDuplicate
}

func (e *ValidationError) Error() string { return e.Message }

func (e *ValidationError) Unwrap() error { return e.Err }

// Invalid is a ValidationError for a field. id names its message in the
// catalogues, and args are the message's placeholders as name, value pairs:
// Invalid("title", "invalid.title.long", "Max", MaxTitleLen).
func Invalid(field, id string, args ...any) error {
	return InvalidBecause(nil, field, id, args...)
}

// InvalidBecause is Invalid with a cause, such as ErrDuplicate, that
// errors.Is can find.
//
// The English is the catalogue's too, so that each sentence is written
// once and logs, the command line and English pages read alike. server/i18n
// is only catalogues, with no HTTP, so the domain still knows none.
func InvalidBecause(cause error, field, id string, args ...any) error {
	return &ValidationError{Field: field, ID: id, Args: args, Err: cause,
		Message: i18n.For(i18n.English).T(id, args...)}
}
