package model

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wordgarden/server/markdown"
	"wordgarden/server/plain"
)

// An Easy Read version explains a term's agreed wording for people with a
// learning disability and people still learning to read: short sentences,
// one idea to a line, and a picture if it helps. It is written beside the
// agreed wording, not voted on, and never changes once written: a newer one
// of the same term and language takes its place on the term page.

const (
	// MaxEasyReadLines is the most lines an Easy Read version may have:
	// Easy Read says a little, so that it can be read in one go.
	MaxEasyReadLines = 20
	// MaxEasyReadLineWords is the most words a line may have. Easy Read
	// guidance (Mencap; the Department of Health's "Making written
	// information easier to understand") asks for sentences of about 15
	// words; 20 leaves room for a name or a phone number.
	MaxEasyReadLineWords = 20
	// MaxEasyReadLen bounds the whole text in bytes.
	MaxEasyReadLen = 4000
	// MaxAltLen bounds a picture's text alternative, in characters: a
	// short description, read aloud by screen readers.
	MaxAltLen = 200
)

// EasyReadImages are the pictures shipped in static/easyread/ that an Easy
// Read version may show, one of them at most. Their names in the reader's
// language are the catalogue's easyread.image.NAME (NAME without ".svg");
// TestEasyReadImagesShipped keeps this list and the folder alike.
var EasyReadImages = []string{
	"talking.svg",
	"doctor.svg",
	"home.svg",
	"calendar.svg",
	"phone.svg",
	"help.svg",
}

// EasyRead is one Easy Read version of a term.
type EasyRead struct {
	ID       int64
	TermID   int64
	TermSlug string
	Lang     string
	Markdown string // one idea a line, lines separated by "\n"
	HTML     string // each line its own paragraph, rendered and sanitised when written
	Image    string // one of EasyReadImages, or ""
	ImageAlt string // what the image shows, for people who cannot see it
	// ExplainsID is the agreed wording it explains, as it was when written.
	ExplainsID       int64
	AuthorID         int64 // 0 for an imported one
	AuthorName       string
	AuthorRole       string // "partner", "facilitator" or "import"
	OrganisationName string
	Sector           Sector
	CreatedAt        time.Time
}

// OutOfDate reports whether e explains a wording of t that is no longer its
// agreed one. Like a translation's, it is worked out when asked.
func (e EasyRead) OutOfDate(t Term) bool { return e.ExplainsID != t.AgreedVersionID }

// ImageName is the image's name without ".svg", for its catalogue name.
func (e EasyRead) ImageName() string { return strings.TrimSuffix(e.Image, ".svg") }

// EasyReadLines are the lines of an Easy Read text as the store keeps
// them: each trimmed, blank ones left out, whatever the line ends were.
func EasyReadLines(md string) []string {
	md = strings.ReplaceAll(strings.ReplaceAll(md, "\r\n", "\n"), "\r", "\n")
	var out []string
	for _, l := range strings.Split(md, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// NewEasyRead is what a new Easy Read version needs.
type NewEasyRead struct {
	Lang       string // SourceLang: Easy Read is written in English for now
	Markdown   string
	Image      string // one of EasyReadImages, or ""
	ImageAlt   string // required with an image, refused without one
	ExplainsID int64  // the term's agreed wording
	Author     *User  // nil for an imported one
}

// Validate says what is wrong with a new Easy Read version, or nil. Whether
// it explains the term's agreed wording is for the store to check.
//
// One idea to a line is held by what can be counted: a line may be one
// sentence at most, of at most MaxEasyReadLineWords words. The reading age
// is not a rule here: like a wording's, it is advice, shown against the
// stricter Easy Read target.
func (ne NewEasyRead) Validate() error {
	switch {
	case ne.Lang != SourceLang:
		return Invalid("language", "invalid.easyread.language")
	case !utf8.ValidString(ne.Markdown):
		return Invalid("markdown", "invalid.easyread.unreadable")
	case len(ne.Markdown) > MaxEasyReadLen:
		return Invalid("markdown", "invalid.easyread.long", "Max", MaxEasyReadLines)
	case ne.ExplainsID <= 0:
		return Invalid("explains", "invalid.easyread.explains")
	case ne.Author != nil && ne.Author.Role != Partner && ne.Author.Role != Facilitator:
		return Invalid("", "invalid.easyread.writers_only")
	}
	lines := EasyReadLines(ne.Markdown)
	switch {
	case len(lines) == 0:
		return Invalid("markdown", "invalid.easyread.empty")
	case len(lines) > MaxEasyReadLines:
		return Invalid("markdown", "invalid.easyread.long", "Max", MaxEasyReadLines)
	}
	for i, l := range lines {
		res, err := markdown.Render(l, nil)
		if err != nil || res.Depth > MaxDepth {
			return Invalid("markdown", "invalid.wording.deep")
		}
		sentences, words := plain.Measure(res.Text)
		switch {
		case sentences > 1:
			return Invalid("markdown", "invalid.easyread.sentences", "Line", i+1)
		case words > MaxEasyReadLineWords:
			return Invalid("markdown", "invalid.easyread.line_long", "Line", i+1, "Words", words, "Max", MaxEasyReadLineWords)
		}
	}
	return checkImage(ne.Image, ne.ImageAlt)
}

// checkImage says what is wrong with an Easy Read version's picture and its
// text alternative, or nil.
func checkImage(image, alt string) error {
	alt = strings.TrimSpace(alt)
	switch {
	case image != "" && !slices.Contains(EasyReadImages, image):
		return Invalid("image", "invalid.easyread.image")
	case !utf8.ValidString(alt):
		return Invalid("image_alt", "invalid.easyread.alt_unreadable")
	case image != "" && alt == "":
		return Invalid("image_alt", "invalid.easyread.alt_missing")
	case image == "" && alt != "":
		return Invalid("image_alt", "invalid.easyread.alt_without_image")
	case strings.ContainsAny(alt, "\r\n"):
		return Invalid("image_alt", "invalid.easyread.alt_lines")
	case utf8.RuneCountInString(alt) > MaxAltLen:
		return Invalid("image_alt", "invalid.easyread.alt_long", "Max", MaxAltLen)
	}
	return nil
}
