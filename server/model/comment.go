package model

import (
	"strings"
	"time"
	"unicode/utf8"

	"wordgarden/server/markdown"
)

// MaxCommentLen is the longest comment, in characters: feedback, not an
// essay.
const MaxCommentLen = 4000

// MaxReasonLen is the longest reason for hiding or reporting a comment, in
// characters.
const MaxReasonLen = 500

// CommentKind is what a comment offers: a question, a suggestion, or what
// happened when the wording was tried with people.
type CommentKind string

const (
	Question   CommentKind = "question"
	Suggestion CommentKind = "suggestion"
	TriedIt    CommentKind = "tried-it"
)

// CommentKinds are the kinds in the order forms offer them.
var CommentKinds = []CommentKind{Question, Suggestion, TriedIt}

// Valid reports whether k is a known kind.
func (k CommentKind) Valid() bool { return k == Question || k == Suggestion || k == TriedIt }

// Label is the kind in words: "question", "suggestion", "tried it".
func (k CommentKind) Label() string { return strings.ReplaceAll(string(k), "-", " ") }

// Comment is feedback on a version. It never changes once written, except
// that a facilitator may hide it.
type Comment struct {
	ID                int64
	VersionID         int64
	TermSlug          string
	TermTitle         string
	ParentID          int64 // the comment this replies to, or 0
	AuthorID          int64
	AuthorName        string
	AuthorRole        Role
	OrganisationName  string // partners
	Sector            Sector // partners
	NeighbourhoodName string // residents
	Kind              CommentKind
	Markdown          string
	HTML              string // rendered and sanitised when written
	CreatedAt         time.Time
	Hidden            bool
	HiddenReason      string
	HiddenAt          time.Time
	Replies           []Comment // of a comment that is no reply, when read as a thread
}

// NewComment is what a new comment needs.
type NewComment struct {
	VersionID int64
	// ParentID, if set, makes this a reply. A reply to a reply is attached
	// to the comment that reply answers: threads are one level deep.
	ParentID int64
	Kind     CommentKind
	Markdown string
	Author   *User
}

// Validate says what is wrong with a new comment, or nil.
func (nc NewComment) Validate() error {
	body := nc.Markdown
	switch {
	case !nc.Kind.Valid():
		return Invalid("kind", "invalid.comment.kind")
	case !utf8.ValidString(body):
		return Invalid("body", "invalid.comment.unreadable")
	case strings.TrimSpace(body) == "":
		return Invalid("body", "invalid.comment.empty")
	case utf8.RuneCountInString(body) > MaxCommentLen:
		return Invalid("body", "invalid.comment.long",
			"Max", MaxCommentLen, "Length", utf8.RuneCountInString(body))
	case nc.Author == nil || !nc.Author.Role.Valid():
		return Invalid("", "invalid.comment.sign_in")
	}
	if res, err := markdown.Render(nc.Markdown, nil); err == nil && res.Depth > MaxDepth {
		return Invalid("body", "invalid.comment.deep")
	}
	return nil
}

// CommentCounts counts a version's comments by kind. Hidden comments are
// not counted.
type CommentCounts struct {
	Question   int `json:"question"`
	Suggestion int `json:"suggestion"`
	TriedIt    int `json:"tried_it"`
}

// Add counts n more comments of kind k.
func (n *CommentCounts) Add(k CommentKind, by int) {
	switch k {
	case Question:
		n.Question += by
	case Suggestion:
		n.Suggestion += by
	case TriedIt:
		n.TriedIt += by
	}
}

// Total is the number of comments counted.
func (n CommentCounts) Total() int { return n.Question + n.Suggestion + n.TriedIt }

// CheckReason says what is wrong with a reason for hiding (required) or
// reporting a comment, or nil.
func CheckReason(reason string, required bool) error {
	switch {
	case !utf8.ValidString(reason):
		return Invalid("reason", "invalid.reason.unreadable")
	case required && strings.TrimSpace(reason) == "":
		return Invalid("reason", "invalid.reason.empty")
	case utf8.RuneCountInString(reason) > MaxReasonLen:
		return Invalid("reason", "invalid.reason.long", "Max", MaxReasonLen)
	}
	return nil
}

// Report is one person's report of a comment.
type Report struct {
	UserName  string
	UserRole  Role
	Reason    string
	CreatedAt time.Time
}

// ReportedComment is a comment with the reports made of it.
type ReportedComment struct {
	Comment
	Reports []Report // oldest first
}
