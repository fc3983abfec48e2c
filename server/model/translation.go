package model

import (
	"strings"
	"time"
	"unicode/utf8"

	"wordgarden/server/i18n"
)

// SourceLang is the language the glossary's wordings are written and agreed
// in first. A wording in any other language is a translation of an English
// version.
const SourceLang = "en"

// TranslationLang reports whether wordings may be translated into the
// language with this code: one wordgarden speaks (i18n.Languages), other
// than English.
func TranslationLang(code string) bool {
	l, ok := i18n.ByCode(code)
	return ok && l.Code == code && code != SourceLang
}

// Translation reports whether v is a translation of an English version.
func (v Version) Translation() bool { return v.Lang != "" && v.Lang != SourceLang }

// OutOfDate reports whether v, a translation of a version of t, translates
// a version that is no longer t's agreed English wording. It is worked out
// whenever it is asked, never stored: it changes when a round settles.
func (v Version) OutOfDate(t Term) bool {
	return v.Translation() && v.TranslatesID != t.AgreedVersionID
}

// NewTranslation is what a new translation needs.
type NewTranslation struct {
	Lang         string // a TranslationLang
	Title        string // the term's title in Lang
	Markdown     string
	Summary      string // optional; made from the text when empty
	TranslatesID int64  // the English version it translates: the agreed one
	ParentID     int64  // optional: the translation in Lang it amends
	Author       *User  // nil for an imported translation
}

// Version is the new translation as a new version, for the checks and the
// rendering every wording gets.
func (nt NewTranslation) Version() NewVersion {
	return NewVersion{Markdown: nt.Markdown, Summary: nt.Summary, ParentID: nt.ParentID, Author: nt.Author}
}

// errUnknownLanguage is the answer to a language wordgarden does not speak.
var errUnknownLanguage = &ValidationError{Field: "language", ID: "translations.error.language",
	Message: "Choose a language from the list."}

// Validate says what is wrong with a new translation, or nil. Whether it
// translates the term's agreed English wording, and whether its parent is
// a translation of the same term in the same language, is for the store to
// check.
func (nt NewTranslation) Validate() error {
	if !TranslationLang(nt.Lang) {
		return errUnknownLanguage
	}
	if err := CheckTranslatedTitle(nt.Title); err != nil {
		return err
	}
	if nt.TranslatesID <= 0 {
		return &ValidationError{Field: "translates", ID: "translations.error.source",
			Message: "Choose the English wording to translate."}
	}
	return nt.Version().Validate()
}

// CheckTranslatedTitle says what is wrong with a term's title in another
// language, or nil. It may be longer or shorter than the English title, and
// has no slug of its own: the term keeps its address.
func CheckTranslatedTitle(title string) error {
	title = strings.TrimSpace(title)
	switch {
	case !utf8.ValidString(title):
		return &ValidationError{Field: "title", ID: "translations.error.title_unreadable",
			Message: "The title has characters that could not be read. Type it again, or paste it as plain text."}
	case title == "":
		return &ValidationError{Field: "title", ID: "translations.error.title_missing",
			Message: "Write the term’s title in this language."}
	case strings.ContainsAny(title, "\r\n"):
		return &ValidationError{Field: "title", ID: "translations.error.title_lines",
			Message: "Keep the title to one line."}
	case utf8.RuneCountInString(title) > MaxTitleLen:
		return &ValidationError{Field: "title", ID: "translations.error.title_long",
			Message: "Keep the title shorter: a few words, like the English one."}
	}
	return nil
}

// AgreedTranslation is a term's agreed wording in a language other than
// English.
type AgreedTranslation struct {
	Version  Version
	RoundID  int64       // the round that chose it; 0 when it was imported as agreed
	Chosen   *Provenance // how the round chose it; nil when imported
	AgreedAt time.Time
}
