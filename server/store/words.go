package store

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"wordgarden/server/model"
)

// AddLocalWord adds a local word to avoid. by is the facilitator's name.
func (s *Store) AddLocalWord(ctx context.Context, phrase, suggestion, by string) (model.LocalWord, error) {
	w := model.LocalWord{
		Phrase:     strings.Join(strings.Fields(phrase), " "),
		Suggestion: strings.Join(strings.Fields(suggestion), " "),
		AddedBy:    by,
		CreatedAt:  s.nowUTC(),
	}
	switch {
	case !utf8.ValidString(w.Phrase):
		return model.LocalWord{}, model.Invalid("phrase", "invalid.word.phrase_unreadable")
	case w.Phrase == "":
		return model.LocalWord{}, model.Invalid("phrase", "invalid.word.phrase_empty")
	case utf8.RuneCountInString(w.Phrase) > model.MaxPhraseLen:
		return model.LocalWord{}, model.Invalid("phrase", "invalid.word.phrase_long", "Max", model.MaxPhraseLen)
	case !strings.ContainsFunc(w.Phrase, isWordRune):
		return model.LocalWord{}, model.Invalid("phrase", "invalid.word.phrase_no_letters")
	case !utf8.ValidString(w.Suggestion):
		return model.LocalWord{}, model.Invalid("suggestion", "invalid.word.suggestion_unreadable")
	case w.Suggestion == "":
		return model.LocalWord{}, model.Invalid("suggestion", "invalid.word.suggestion_empty")
	case utf8.RuneCountInString(w.Suggestion) > model.MaxSuggestionLen:
		return model.LocalWord{}, model.Invalid("suggestion", "invalid.word.suggestion_long", "Max", model.MaxSuggestionLen)
	}
	err := s.tx(ctx, func(tx *txn) error {
		return tx.QueryRowContext(ctx, `INSERT INTO local_words (phrase, suggestion, added_by, created_at)
			VALUES (?, ?, ?, ?) RETURNING id`, w.Phrase, w.Suggestion, w.AddedBy, w.CreatedAt).Scan(&w.ID)
	})
	if isUnique(err) {
		return model.LocalWord{}, model.InvalidBecause(model.ErrDuplicate, "phrase", "invalid.word.on_list", "Phrase", w.Phrase)
	}
	if err != nil {
		return model.LocalWord{}, fmt.Errorf("add local word %q: %w", w.Phrase, err)
	}
	return w, nil
}

// LocalWords lists the local words to avoid, A to Z.
func (s *Store) LocalWords(ctx context.Context) ([]model.LocalWord, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, phrase, suggestion, added_by, created_at
		FROM local_words ORDER BY lower(phrase)`)
	if err != nil {
		return nil, fmt.Errorf("list local words: %w", err)
	}
	defer rows.Close()
	var ws []model.LocalWord
	for rows.Next() {
		var w model.LocalWord
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
	err := s.tx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM local_words WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return model.NotFound(model.ThingLocalWord, id)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete local word %d: %w", id, err)
	}
	return nil
}

// TermStates lists every term with how settled it is.
func (s *Store) TermStates(ctx context.Context) ([]model.TermState, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT t.slug, t.title, t.agreed_version_id IS NOT NULL,
			EXISTS (SELECT 1 FROM rounds r WHERE r.term_id = t.id AND r.closed_at IS NULL AND r.cancelled_at IS NULL AND r.closes_at > ?)
		FROM terms t`, s.nowUTC())
	if err != nil {
		return nil, fmt.Errorf("term states: %w", err)
	}
	defer rows.Close()
	var ts []model.TermState
	for rows.Next() {
		var t model.TermState
		if err := rows.Scan(&t.Slug, &t.Title, &t.Agreed, &t.OpenRound); err != nil {
			return nil, fmt.Errorf("term states: %w", err)
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
