package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"wordgarden/server/model"
	"wordgarden/server/slug"
)

// CreateTerm starts a term with its first version, which is proposed, not
// agreed: agreeing is for residents. Links from other versions to the new
// term's slug turn live.
func (s *Store) CreateTerm(ctx context.Context, title string, nv model.NewVersion) (model.Term, model.Version, error) {
	return s.createTerm(ctx, title, nv, false)
}

// ImportTerm adds a term whose wording is already agreed, as the starter
// glossary's are. A term with the same slug gives ErrDuplicate and changes
// nothing: an import never replaces wording that residents agreed.
func (s *Store) ImportTerm(ctx context.Context, title, summary, markdown string) (model.Term, error) {
	t, _, err := s.createTerm(ctx, title, model.NewVersion{Markdown: markdown, Summary: summary}, true)
	return t, err
}

func (s *Store) createTerm(ctx context.Context, title string, nv model.NewVersion, agreed bool) (model.Term, model.Version, error) {
	title = strings.Join(strings.Fields(title), " ")
	if err := model.CheckTitle(title); err != nil {
		return model.Term{}, model.Version{}, err
	}
	if err := nv.Validate(); err != nil {
		return model.Term{}, model.Version{}, err
	}
	sl := slug.Make(title)
	var v model.Version
	err := s.tx(ctx, func(tx *txn) error {
		now := s.nowUTC()
		var termID int64
		err := tx.QueryRowContext(ctx, `
			INSERT INTO terms (slug, title, created_at, updated_at) VALUES (?, ?, ?, ?)
			RETURNING id`, sl, title, now, now).Scan(&termID)
		if isUnique(err) {
			return model.InvalidBecause(model.ErrDuplicate, "title", "invalid.title.taken", "Title", title)
		}
		if err != nil {
			return err
		}
		if v, err = s.insertVersion(ctx, tx, termID, nv, now); err != nil {
			return err
		}
		if agreed {
			if _, err := tx.ExecContext(ctx,
				`UPDATE terms SET agreed_version_id = ? WHERE id = ?`, v.ID, termID); err != nil {
				return err
			}
		}
		if err := relink(ctx, tx, sl); err != nil {
			return err
		}
		return indexTerm(ctx, tx, termID)
	})
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return model.Term{}, model.Version{}, err
	}
	if err != nil {
		return model.Term{}, model.Version{}, fmt.Errorf("create term %q: %w", title, err)
	}
	t, err := s.Term(ctx, sl)
	return t, v, err
}

const termColumns = `t.id, t.slug, t.title, coalesce(t.agreed_version_id, 0), coalesce(a.summary, ''),
	(SELECT count(*) FROM versions WHERE term_id = t.id AND lang = 'en'), t.created_at, t.updated_at`

const termFrom = ` FROM terms t LEFT JOIN versions a ON a.id = t.agreed_version_id `

func scanTerm(row interface{ Scan(...any) error }, t *model.Term) error {
	return row.Scan(&t.ID, &t.Slug, &t.Title, &t.AgreedVersionID, &t.Summary,
		&t.Versions, &t.CreatedAt, &t.UpdatedAt)
}

// Term finds a term by slug.
func (s *Store) Term(ctx context.Context, slug string) (model.Term, error) {
	var t model.Term
	row := s.r.QueryRowContext(ctx, `SELECT `+termColumns+termFrom+`WHERE t.slug = ?`, slug)
	if err := scanTerm(row, &t); err != nil {
		return model.Term{}, notFound(err, model.ThingTerm, slug)
	}
	return t, nil
}

// Terms lists every term A–Z.
func (s *Store) Terms(ctx context.Context) ([]model.Term, error) {
	return s.terms(ctx, `ORDER BY lower(t.title), t.id`)
}

// RecentTerms lists the n terms changed most recently.
func (s *Store) RecentTerms(ctx context.Context, n int) ([]model.Term, error) {
	return s.terms(ctx, `ORDER BY t.updated_at DESC, t.id DESC LIMIT ?`, n)
}

// UsedIn lists the terms whose agreed wording links to slug, A–Z.
func (s *Store) UsedIn(ctx context.Context, slug string) ([]model.Term, error) {
	return s.terms(ctx, `WHERE t.agreed_version_id IN (SELECT version_id FROM links WHERE target_slug = ?)
		ORDER BY lower(t.title)`, slug)
}

// WantedBy lists the terms any of whose versions links to slug, A–Z: for a
// term nobody has started yet, who is asking for it.
func (s *Store) WantedBy(ctx context.Context, slug string) ([]model.Term, error) {
	return s.terms(ctx, `WHERE t.id IN (SELECT v.term_id FROM links l JOIN versions v ON v.id = l.version_id
		WHERE l.target_slug = ?) ORDER BY lower(t.title)`, slug)
}

func (s *Store) terms(ctx context.Context, tail string, args ...any) ([]model.Term, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+termColumns+termFrom+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list terms: %w", err)
	}
	defer rows.Close()
	var terms []model.Term
	for rows.Next() {
		var t model.Term
		if err := scanTerm(rows, &t); err != nil {
			return nil, fmt.Errorf("list terms: %w", err)
		}
		terms = append(terms, t)
	}
	return terms, rows.Err()
}

// CountTerms counts the terms.
func (s *Store) CountTerms(ctx context.Context) (int, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM terms`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count terms: %w", err)
	}
	return n, nil
}
