package model

import (
	"strings"
	"time"
	"unicode/utf8"

	"wordgarden/server/slug"
)

// MaxTitleLen is the longest title a term may have, in characters.
const MaxTitleLen = 100

// reservedSlugs are paths under /terms/ that are pages, not terms.
var reservedSlugs = map[string]bool{"new": true}

// Term is an entry of the glossary.
type Term struct {
	ID              int64
	Slug            string
	Title           string
	AgreedVersionID int64  // 0 while no wording is agreed
	Summary         string // the agreed version's summary
	Versions        int    // how many English versions have been proposed
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Agreed reports whether the term has an agreed wording.
func (t Term) Agreed() bool { return t.AgreedVersionID != 0 }

// CheckTitle says what is wrong with a new term's title, or nil.
func CheckTitle(title string) error {
	title = strings.TrimSpace(title)
	switch {
	case !utf8.ValidString(title):
		return Invalid("title", "invalid.title.unreadable")
	case title == "":
		return Invalid("title", "invalid.title.empty")
	case len([]rune(title)) > MaxTitleLen:
		return Invalid("title", "invalid.title.long", "Max", MaxTitleLen)
	case slug.Make(title) == "":
		return Invalid("title", "invalid.title.no_letters")
	case reservedSlugs[slug.Make(title)]:
		return Invalid("title", "invalid.title.reserved", "Title", title)
	}
	return nil
}
