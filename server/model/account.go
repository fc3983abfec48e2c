package model

import (
	"encoding/json"
	"errors"
	"time"

	"wordgarden/server/tally"
)

// FormerResident is what an erased resident's name reads as, in their
// account and in the comments they wrote. No one may choose it as a name.
// schema.sql's comments_author_erased trigger names it too.
const FormerResident = "A former resident"

// ErrDisabled means the sign-in name and password are right, but a
// facilitator has switched the account off.
var ErrDisabled = errors.New("the account is switched off")

// ResetCodeTTL is how long a password reset code works.
const ResetCodeTTL = 7 * 24 * time.Hour

// WelcomeCodeTTL is how long the code works with which a resident
// registered at an event chooses her first password: an event's cycle,
// from the event to the vote, and time to find a helper.
const WelcomeCodeTTL = 30 * 24 * time.Hour

// ResetCode is a password reset code as it is shown, once, to the
// facilitator who hands it over.
type ResetCode struct {
	Code    string // formatted for reading aloud, as invite codes are
	User    User
	Expires time.Time
	// Welcome says the account has no password yet: it is a resident's
	// registered at an event, and the code is for her first password.
	Welcome bool
}

// Registration says that a facilitator registered a resident at an event,
// and so vouches for her.
type Registration struct {
	At   time.Time
	ByID int64  // 0: from the command line
	By   string // the facilitator's name now
}

// InviteBatch is the unused invite codes of one print run: the codes made
// together for a neighbourhood. Only their hashes are kept, so a batch can
// be counted and cancelled, not shown again.
type InviteBatch struct {
	ID        int64 // the id of the batch's first code, which names the batch
	CreatedAt time.Time
	Expires   time.Time // zero: no expiry
	Printed   int       // codes made in the run
	Unused    int       // of those, not used, cancelled or expired
}

// PersonData is everything the database holds about one person, as a
// facilitator exports it for them (their right of access).
type PersonData struct {
	About        string            `json:"about"`
	ExportedAt   time.Time         `json:"exported_at"`
	Account      PersonAccount     `json:"account"`
	Sessions     int               `json:"signed_in_sessions"`
	ResetCodes   []PersonResetCode `json:"password_reset_codes"`
	Joined       *PersonInvite     `json:"joined_with_invite"`
	Registered   *PersonRegistered `json:"registered_at_event"`
	Comments     []PersonComment   `json:"comments"`
	Reports      []PersonReport    `json:"comments_reported"`
	Ballots      []PersonBallot    `json:"ballots"`
	Versions     []PersonVersion   `json:"wordings_written"`
	RoundsOpened []int64           `json:"votes_opened"`
	HiddenByThem []int64           `json:"comments_hidden"`
}

// PersonAccount is the account's own row.
type PersonAccount struct {
	ID                int64      `json:"id"`
	Name              string     `json:"name"`
	Email             string     `json:"email,omitempty"`
	Role              Role       `json:"role"`
	Organisation      string     `json:"organisation,omitempty"`
	Sector            Sector     `json:"sector,omitempty"`
	Neighbourhood     string     `json:"neighbourhood,omitempty"`
	NeighbourhoodSlug string     `json:"neighbourhood_slug,omitempty"`
	CreatedAt         time.Time  `json:"created_at"`
	DisabledAt        *time.Time `json:"disabled_at"`
	ErasedAt          *time.Time `json:"erased_at"`
}

// PersonResetCode is a password reset code made for the person; the code
// itself is not kept.
type PersonResetCode struct {
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at"`
}

// PersonInvite is the invite code a resident joined with; the code itself
// is not kept.
type PersonInvite struct {
	PrintedAt time.Time `json:"printed_at"`
	UsedAt    time.Time `json:"used_at"`
}

// PersonRegistered says who registered the person at an event, and when.
type PersonRegistered struct {
	At time.Time `json:"at"`
	By string    `json:"by"` // the facilitator's name, or "" from the command line
}

// PersonComment is a comment the person wrote, as stored.
type PersonComment struct {
	ID               int64       `json:"id"`
	VersionID        int64       `json:"version_id"`
	Term             string      `json:"term"`
	ReplyTo          int64       `json:"reply_to,omitempty"`
	AuthorName       string      `json:"author_name"`
	Organisation     string      `json:"organisation,omitempty"`
	Neighbourhood    string      `json:"neighbourhood,omitempty"`
	Kind             CommentKind `json:"kind"`
	Markdown         string      `json:"markdown"`
	CreatedAt        time.Time   `json:"created_at"`
	HiddenAt         *time.Time  `json:"hidden_at,omitempty"`
	HiddenReason     string      `json:"hidden_reason,omitempty"`
	ReportsAgainstIt int         `json:"reports"`
}

// PersonReport is a report the person made of a comment.
type PersonReport struct {
	CommentID int64     `json:"comment_id"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonBallot is a ballot the person cast: the last one in each round,
// which is the one that counts.
type PersonBallot struct {
	RoundID       int64           `json:"round_id"`
	Term          string          `json:"term"`
	Method        tally.Method    `json:"method"`
	Neighbourhood string          `json:"neighbourhood"`
	Marks         json.RawMessage `json:"marks"`
	Receipt       string          `json:"receipt"`
	CastAt        time.Time       `json:"cast_at"`
}

// PersonVersion is a wording the person wrote.
type PersonVersion struct {
	ID        int64     `json:"id"`
	Term      string    `json:"term"`
	CreatedAt time.Time `json:"created_at"`
}

// ByFormerResident reports whether the comment's author is a resident
// whose account was erased.
func (c Comment) ByFormerResident() bool {
	return c.AuthorRole == Resident && c.AuthorName == FormerResident
}
