package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

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

// AddLocalWord adds a local word to avoid. by is the facilitator's name.
func (s *Store) AddLocalWord(ctx context.Context, phrase, suggestion, by string) (LocalWord, error) {
	w := LocalWord{
		Phrase:     strings.Join(strings.Fields(phrase), " "),
		Suggestion: strings.Join(strings.Fields(suggestion), " "),
		AddedBy:    by,
		CreatedAt:  s.nowUTC(),
	}
	switch {
	case !utf8.ValidString(w.Phrase):
		return LocalWord{}, invalid("phrase", "The word has characters that could not be read. Type it again.")
	case w.Phrase == "":
		return LocalWord{}, invalid("phrase", "Enter the word or phrase to avoid, for example “hub”.")
	case utf8.RuneCountInString(w.Phrase) > MaxPhraseLen:
		return LocalWord{}, invalid("phrase", "Keep the word or phrase to %d characters.", MaxPhraseLen)
	case !strings.ContainsFunc(w.Phrase, isWordRune):
		return LocalWord{}, invalid("phrase", "The word or phrase needs at least one letter or number.")
	case !utf8.ValidString(w.Suggestion):
		return LocalWord{}, invalid("suggestion", "The suggestion has characters that could not be read. Type it again.")
	case w.Suggestion == "":
		return LocalWord{}, invalid("suggestion", "Say what to write instead, for example “community centre”.")
	case utf8.RuneCountInString(w.Suggestion) > MaxSuggestionLen:
		return LocalWord{}, invalid("suggestion", "Keep the suggestion to %d characters.", MaxSuggestionLen)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO local_words (phrase, suggestion, added_by, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`, w.Phrase, w.Suggestion, w.AddedBy, w.CreatedAt).Scan(&w.ID)
	})
	if isUnique(err) {
		return LocalWord{}, &ValidationError{Field: "phrase", Err: ErrDuplicate,
			Message: "“" + w.Phrase + "” is already on the list."}
	}
	if err != nil {
		return LocalWord{}, fmt.Errorf("add local word %q: %w", w.Phrase, err)
	}
	return w, nil
}

// LocalWords lists the local words to avoid, A to Z.
func (s *Store) LocalWords(ctx context.Context) ([]LocalWord, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, phrase, suggestion, added_by, created_at
		FROM local_words ORDER BY phrase COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("list local words: %w", err)
	}
	defer rows.Close()
	var ws []LocalWord
	for rows.Next() {
		var w LocalWord
		if err := rows.Scan(&w.ID, &w.Phrase, &w.Suggestion, &w.AddedBy, &w.CreatedAt); err != nil {
			return nil, fmt.Errorf("list local words: %w", err)
		}
		ws = append(ws, w)
	}
	return ws, rows.Err()
}

// DeleteLocalWord takes a local word off the list. A word that is not
// there is ErrNotFound.
func (s *Store) DeleteLocalWord(ctx context.Context, id int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM local_words WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete local word %d: %w", id, err)
	}
	return nil
}

// TermState is how settled a term is, for the plain-language check.
type TermState struct {
	Slug      string
	Title     string
	Agreed    bool // it has an agreed wording
	OpenRound bool // a round on it is open
}

// TermStates lists every term with how settled it is.
func (s *Store) TermStates(ctx context.Context) ([]TermState, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT t.slug, t.title, t.agreed_version_id IS NOT NULL,
			EXISTS (SELECT 1 FROM rounds r WHERE r.term_id = t.id AND r.closed_at IS NULL)
		FROM terms t`)
	if err != nil {
		return nil, fmt.Errorf("term states: %w", err)
	}
	defer rows.Close()
	var ts []TermState
	for rows.Next() {
		var t TermState
		if err := rows.Scan(&t.Slug, &t.Title, &t.Agreed, &t.OpenRound); err != nil {
			return nil, fmt.Errorf("term states: %w", err)
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
