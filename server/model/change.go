package model

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"wordgarden/server/tally"
)

// ChangeKind is what happened.
type ChangeKind string

const (
	ChangeTerm    ChangeKind = "term"    // a term was started, with its first wording
	ChangeVersion ChangeKind = "version" // a wording was proposed or amended
	ChangeOpened  ChangeKind = "opened"  // a vote opened
	ChangeClosed  ChangeKind = "closed"  // a vote closed without agreeing a wording
	ChangeSettled ChangeKind = "settled" // a vote closed and agreed a wording
	ChangeComment ChangeKind = "comment" // someone commented on a wording
)

// ChangeKinds are every kind of change, in the order their queries run.
var ChangeKinds = []ChangeKind{ChangeTerm, ChangeVersion, ChangeOpened, ChangeClosed, ChangeSettled, ChangeComment}

// Change is one thing that happened to the glossary.
type Change struct {
	Kind      ChangeKind
	ID        int64 // the term's, the version's or the round's, by Kind
	At        time.Time
	TermSlug  string
	TermTitle string
	// Version is the new term's first wording, the new wording, or the
	// wording a vote agreed; its ID is 0 for a vote opened or closed
	// without a winner. Its Markdown and Text are not read.
	Version Version
	// The vote opened or closed; RoundID is 0 for terms and versions.
	RoundID  int64
	Method   tally.Method
	ClosesAt time.Time
	Outcome  tally.Outcome
	Ballots  int    // counted, once closed
	Reason   string // why a closed vote agreed nothing
	// Lang is the language of the wording the change is about: the
	// version's, the round's, the commented version's; English for a new
	// term.
	Lang string
	// The comment, for ChangeComment: its kind and who wrote it, from
	// where (its Markdown and HTML are not read).
	Comment Comment
}

// Cursor is where a page of changes starts: the changes older than this
// one, in the order Changes lists them.
type Cursor struct {
	At   time.Time
	Kind ChangeKind
	ID   int64
}

// Cursor returns the cursor of the page after this change.
func (c Change) Cursor() Cursor { return Cursor{At: c.At, Kind: c.Kind, ID: c.ID} }

// IsZero reports whether the cursor is unset (the newest changes).
func (c Cursor) IsZero() bool { return c.At.IsZero() }

// String writes the cursor for a URL: nanoseconds-kind-id.
func (c Cursor) String() string {
	return strconv.FormatInt(c.At.UnixNano(), 10) + "-" + string(c.Kind) + "-" + strconv.FormatInt(c.ID, 10)
}

// ParseCursor reads a cursor that Cursor.String wrote.
func ParseCursor(s string) (Cursor, error) {
	parts := strings.Split(s, "-")
	if len(parts) != 3 {
		return Cursor{}, fmt.Errorf("cursor %q: want NANOSECONDS-KIND-ID", s)
	}
	ns, err1 := strconv.ParseInt(parts[0], 10, 64)
	id, err2 := strconv.ParseInt(parts[2], 10, 64)
	kind := ChangeKind(parts[1])
	if err1 != nil || err2 != nil || ns <= 0 || id <= 0 {
		return Cursor{}, fmt.Errorf("cursor %q: want NANOSECONDS-KIND-ID", s)
	}
	if !slices.Contains(ChangeKinds, kind) {
		return Cursor{}, fmt.Errorf("cursor %q: no kind of change %q", s, kind)
	}
	return Cursor{At: time.Unix(0, ns).UTC(), Kind: kind, ID: id}, nil
}

// ChangeQuery says which changes to list.
type ChangeQuery struct {
	Kinds  []ChangeKind // none: every kind
	TermID int64        // 0: every term
	Before Cursor       // zero: from the newest
	Limit  int
	// Lang, when it is a language other than English, keeps the changes
	// of English wordings (which every translation follows) and of
	// wordings in Lang, and leaves out those of wordings in other
	// languages. "" or English: every change.
	Lang string
}
