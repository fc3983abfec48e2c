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
}
