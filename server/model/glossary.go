package model

import "time"

// GlossaryEntry is a term of the agreed glossary: its agreed wording and
// where that wording came from.
type GlossaryEntry struct {
	Term    Term
	Version Version // the agreed wording, with its markdown and plain text
	// AgreedAt is when the vote that agreed the wording closed, or when
	// the wording was imported as agreed.
	AgreedAt time.Time
	// RoundID is the vote that agreed the wording, 0 when it was imported;
	// Ballots is how many ballots that vote counted.
	RoundID int64
	Ballots int
	// Related are the slugs of the other terms of the agreed glossary that
	// the wording links to, A–Z by slug.
	Related []string
	// Translations are the term's agreed wordings in other languages, in
	// the order of i18n.Languages, out-of-date ones too: Current picks.
	Translations []GlossaryTranslation
}

// GlossaryTranslation is a term's agreed wording in a language other than
// English, and where it came from.
type GlossaryTranslation struct {
	Version  Version // Lang, Title (the term's title in Lang), Markdown, Text
	AgreedAt time.Time
	RoundID  int64 // the vote in Lang that agreed it, 0 when imported
	Ballots  int
}

// Current returns the entry's agreed wording in lang while it still
// translates the agreed English wording. One whose English has changed
// since says what the glossary no longer says, so the published glossary
// leaves it out and gives the English instead.
func (e GlossaryEntry) Current(lang string) (GlossaryTranslation, bool) {
	for _, t := range e.Translations {
		if t.Version.Lang == lang && !t.Version.OutOfDate(e.Term) {
			return t, true
		}
	}
	return GlossaryTranslation{}, false
}

// Languages are the languages the entry has a current agreed wording in,
// English first.
func (e GlossaryEntry) Languages() []string {
	out := []string{SourceLang}
	for _, t := range e.Translations {
		if !t.Version.OutOfDate(e.Term) {
			out = append(out, t.Version.Lang)
		}
	}
	return out
}
