package model

import "time"

// LocalWord is a word or phrase to avoid that a facilitator added for this
// place, with a plainer suggestion.
type LocalWord struct {
	ID         int64
	Phrase     string
	Suggestion string
	AddedBy    string
	CreatedAt  time.Time
}

// Limits of a local word, in characters.
const (
	MaxPhraseLen     = 60
	MaxSuggestionLen = 200
)

// TermState is how settled a term is, for the plain-language check.
type TermState struct {
	Slug      string
	Title     string
	Agreed    bool // it has an agreed wording
	OpenRound bool // a round on it is open
}
