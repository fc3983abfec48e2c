package model

import (
	"strings"
	"time"
	"unicode/utf8"

	"wordgarden/server/markdown"
)

// MaxMarkdownLen is the longest wording a version may have, in bytes: a
// definition, not an essay.
const MaxMarkdownLen = 20000

// MaxDepth bounds how deeply a wording's quotes, lists and emphasis may
// nest, counted as markdown.Result.Depth. A definition needs a few levels;
// thousands ("> > > ...") would make pages that browsers and HTML parsers
// give up on (they stop at 512 open elements).
const MaxDepth = 100

// Version is one proposed wording of a term. It never changes once written.
type Version struct {
	ID               int64
	TermID           int64
	TermSlug         string
	TermTitle        string
	ParentID         int64 // the version this one amends, or 0
	AuthorID         int64 // 0 for imported versions
	AuthorName       string
	AuthorRole       string // "partner", "facilitator" or "import"
	OrganisationName string
	Sector           Sector // "" for facilitators and imports
	Markdown         string
	HTML             string // rendered and sanitised when written
	Text             string // plain text, for search and summaries
	Summary          string
	CreatedAt        time.Time
	// Lang is the wording's language, SourceLang for the glossary's own
	// wordings; a version in another language is a translation
	// (translation.go).
	Lang         string
	TranslatesID int64  // the English version a translation translates, or 0
	Title        string // a translation's title of the term; "" in English
}

// NewVersion is what a new version needs.
type NewVersion struct {
	Markdown string
	Summary  string // optional; made from the text when empty
	ParentID int64  // optional: the version this amends
	Author   *User  // nil for an imported version
}

// CheckWording says what would keep a wording from being stored whatever
// else the version holds: characters that cannot be read, or too many of
// them. The "Check wording" button asks it before checking how plain a
// wording is.
func CheckWording(md string) error {
	switch {
	case !utf8.ValidString(md):
		return Invalid("markdown", "invalid.wording.unreadable")
	case len(md) > MaxMarkdownLen:
		return Invalid("markdown", "invalid.wording.long", "Max", MaxMarkdownLen)
	}
	return nil
}

// Validate says what is wrong with a new version, or nil. Whether its
// parent is a version of the same term is for the store to check.
func (nv NewVersion) Validate() error {
	if err := CheckWording(nv.Markdown); err != nil {
		return err
	}
	switch {
	case !utf8.ValidString(nv.Summary):
		return Invalid("summary", "invalid.summary.unreadable")
	case strings.TrimSpace(nv.Markdown) == "":
		return Invalid("markdown", "invalid.wording.empty")
	case nv.Author != nil && nv.Author.Role != Partner && nv.Author.Role != Facilitator:
		return Invalid("", "invalid.version.writers_only")
	}
	// Rendered here as well as when written, so that a wording refused for
	// its depth (which can take a second to parse) never holds up the
	// writer.
	if res, err := markdown.Render(nv.Markdown, nil); err == nil && res.Depth > MaxDepth {
		return Invalid("markdown", "invalid.wording.deep")
	}
	return nil
}
