package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// A translation is a version in a language other than English that
// translates one English version of its term: the agreed one when it is
// written. Its amendments are translations in the same language. It is out
// of date when that English version is no longer the agreed one, which
// model.Version.OutOfDate works out when it is read. A round in a language
// settles the term's agreed wording in that language (agreed_translations).

// wordingLang is the language of a version being written and, for a
// translation, the English version it translates and its title of the term.
type wordingLang struct {
	code       string
	translates int64
	title      string
}

// source is English, the language of the glossary's own wordings.
var source = wordingLang{code: model.SourceLang}

// mark wraps a translation's rendered wording in an element that names its
// language and direction, so that wherever it is shown (the term page, a
// ballot, a feed, another site through the API) browsers and screen readers
// read it in its own language. The wrapper is made of the language's own
// code, never of anything typed.
func (l wordingLang) mark(html string) string {
	lang, ok := i18n.ByCode(l.code)
	if !ok || l.code == model.SourceLang {
		return html
	}
	return `<div lang="` + lang.HTML + `" dir="` + lang.Dir + `">` + html + `</div>`
}

// CreateTranslation adds a translation to a term. nt.TranslatesID must be
// the term's agreed English wording as it is when the translation is
// stored: one written while another wording was agreed is refused, rather
// than tied to a version it does not translate.
func (s *Store) CreateTranslation(ctx context.Context, termID int64, nt model.NewTranslation) (model.Version, error) {
	return s.addTranslation(ctx, termID, nt, false)
}

// ImportTranslation adds a translation that is agreed without a vote, as
// the starter glossary's are: it becomes the term's agreed wording in its
// language, from "Imported glossary". A term that has an agreed wording in
// the language already gives ErrDuplicate and changes nothing: an import
// never replaces wording that residents agreed.
func (s *Store) ImportTranslation(ctx context.Context, termID int64, nt model.NewTranslation) (model.Version, error) {
	nt.Author = nil
	return s.addTranslation(ctx, termID, nt, true)
}

func (s *Store) addTranslation(ctx context.Context, termID int64, nt model.NewTranslation, agreed bool) (model.Version, error) {
	nt.Title = strings.Join(strings.Fields(nt.Title), " ")
	if err := nt.Validate(); err != nil {
		return model.Version{}, err
	}
	var v model.Version
	err := s.tx(ctx, func(tx *txn) error {
		if err := checkTranslation(ctx, tx, termID, nt); err != nil {
			return err
		}
		now := s.nowUTC()
		if agreed {
			var one int
			err := tx.QueryRowContext(ctx, `SELECT 1 FROM agreed_translations WHERE term_id = ? AND lang = ?`,
				termID, nt.Lang).Scan(&one)
			if err == nil {
				return &model.ValidationError{Field: "language", Err: model.ErrDuplicate, ID: "translations.error.agreed_already",
					Message: "This term already has an agreed wording in this language."}
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		in := wordingLang{code: nt.Lang, translates: nt.TranslatesID, title: nt.Title}
		var err error
		if v, err = s.insertVersionIn(ctx, tx, termID, nt.Version(), in, now); err != nil {
			return err
		}
		if agreed {
			if _, err := tx.ExecContext(ctx, `
				INSERT INTO agreed_translations (term_id, lang, version_id, round_id, agreed_at)
				VALUES (?, ?, ?, NULL, ?)`, termID, nt.Lang, v.ID, now); err != nil {
				return err
			}
		}
		return indexTerm(ctx, tx, termID)
	})
	var ve *model.ValidationError
	if errors.As(err, &ve) || errors.Is(err, model.ErrNotFound) {
		return model.Version{}, err
	}
	if err != nil {
		return model.Version{}, fmt.Errorf("add a translation to term %d: %w", termID, err)
	}
	return s.Version(ctx, v.ID)
}

// checkTranslation checks, inside tx, that nt translates the term's agreed
// English wording and amends, if anything, a translation of the term into
// the same language.
func checkTranslation(ctx context.Context, tx *txn, termID int64, nt model.NewTranslation) error {
	agreed, err := agreedVersionID(ctx, tx, termID)
	if err != nil {
		return err
	}
	if agreed == 0 || agreed != nt.TranslatesID {
		return &model.ValidationError{Field: "translates", ID: "translations.error.not_agreed",
			Message: "The English wording you are translating is not the agreed one, and only that is translated. " +
				"It may have changed while you were writing: open the term again to see it."}
	}
	if nt.ParentID == 0 {
		return nil
	}
	var parentTerm int64
	var parentLang string
	err = tx.QueryRowContext(ctx, `SELECT term_id, lang FROM versions WHERE id = ?`, nt.ParentID).Scan(&parentTerm, &parentLang)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (parentTerm != termID || parentLang != nt.Lang)) {
		return &model.ValidationError{Field: "parent_id", ID: "translations.error.parent",
			Message: "The translation you are amending is not a translation of this term into this language."}
	}
	return err
}

// Translations lists every translation of a term, in every language,
// oldest first.
func (s *Store) Translations(ctx context.Context, termID int64) ([]model.Version, error) {
	return s.versionsIn(ctx, termID, `v.lang <> 'en'`)
}

// AgreedTranslations lists the term's agreed wordings in languages other
// than English, by language code, each with the round that chose it.
func (s *Store) AgreedTranslations(ctx context.Context, termID int64) ([]model.AgreedTranslation, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT version_id, coalesce(round_id, 0), agreed_at FROM agreed_translations
		WHERE term_id = ? ORDER BY lang`, termID)
	if err != nil {
		return nil, fmt.Errorf("agreed translations of term %d: %w", termID, err)
	}
	var out []model.AgreedTranslation
	for rows.Next() {
		var a model.AgreedTranslation
		if err := rows.Scan(&a.Version.ID, &a.RoundID, &a.AgreedAt); err != nil {
			rows.Close()
			return nil, fmt.Errorf("agreed translations of term %d: %w", termID, err)
		}
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("agreed translations of term %d: %w", termID, err)
	}
	for i := range out {
		a := &out[i]
		if a.Version, err = s.Version(ctx, a.Version.ID); err != nil {
			return nil, err
		}
		if a.RoundID != 0 {
			if a.Chosen, err = s.provenance(ctx, a.Version.ID, `r.id = ?`, a.RoundID); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// agreeTranslation makes the winner of a settled round in a language other
// than English the term's agreed wording in that language, inside the
// transaction that closes the round. The English agreed wording stays as
// it is.
func agreeTranslation(ctx context.Context, tx *txn, r model.Round, winner int64, now time.Time) error {
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO agreed_translations (term_id, lang, version_id, round_id, agreed_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (term_id, lang) DO UPDATE SET
			version_id = excluded.version_id, round_id = excluded.round_id, agreed_at = excluded.agreed_at`,
		r.TermID, r.Lang, winner, r.ID, now); err != nil {
		return fmt.Errorf("agree the %s wording: %w", r.Lang, err)
	}
	_, err := tx.ExecContext(ctx, `UPDATE terms SET updated_at = ? WHERE id = ?`, now, r.TermID)
	return err
}

// wrongLanguage is the answer to a candidate that is not in the round's
// language.
func wrongLanguage() error {
	return &model.ValidationError{Field: "candidate", ID: "translations.error.candidate_language",
		Message: "Choose wordings in one language: a vote is on the wordings of one language."}
}

// openInLanguage is the answer to a second open round on a term's wordings
// in one language other than English.
func openInLanguage() error {
	return &model.ValidationError{Err: model.ErrDuplicate, ID: "translations.error.open_round",
		Message: "This term already has an open vote on its wordings in this language. Close it before opening another."}
}

// agreedVersionID is the id of the term's agreed English wording, read
// inside tx; 0 while none is agreed.
func agreedVersionID(ctx context.Context, tx *txn, termID int64) (int64, error) {
	var agreed sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT agreed_version_id FROM terms WHERE id = ?`, termID).Scan(&agreed)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, model.NotFound(model.ThingTerm, termID)
	}
	if err != nil {
		return 0, fmt.Errorf("read the agreed wording of term %d: %w", termID, err)
	}
	return agreed.Int64, nil
}
