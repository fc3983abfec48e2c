package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	Versions        int    // how many versions have been proposed
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
		return invalid("title", "The title has characters that could not be read. Type it again, or paste it as plain text.")
	case title == "":
		return invalid("title", "Enter the word or phrase, for example “Neighbourhood working”.")
	case len([]rune(title)) > MaxTitleLen:
		return invalid("title", "Keep the title to %d characters.", MaxTitleLen)
	case slug.Make(title) == "":
		return invalid("title", "The title needs at least one letter or number.")
	case reservedSlugs[slug.Make(title)]:
		return invalid("title", "“%s” cannot be a term: the site uses that word for a page.", title)
	}
	return nil
}

// CreateTerm starts a term with its first version, which is proposed, not
// agreed: agreeing is for residents. Links from other versions to the new
// term's slug turn live.
func (s *Store) CreateTerm(ctx context.Context, title string, nv NewVersion) (Term, Version, error) {
	return s.createTerm(ctx, title, nv, false)
}

// ImportTerm adds a term whose wording is already agreed, as the starter
// glossary's are. A term with the same slug gives ErrDuplicate and changes
// nothing: an import never replaces wording that residents agreed.
func (s *Store) ImportTerm(ctx context.Context, title, summary, markdown string) (Term, error) {
	t, _, err := s.createTerm(ctx, title, NewVersion{Markdown: markdown, Summary: summary}, true)
	return t, err
}

func (s *Store) createTerm(ctx context.Context, title string, nv NewVersion, agreed bool) (Term, Version, error) {
	title = strings.Join(strings.Fields(title), " ")
	if err := CheckTitle(title); err != nil {
		return Term{}, Version{}, err
	}
	if err := nv.check(); err != nil {
		return Term{}, Version{}, err
	}
	sl := slug.Make(title)
	var v Version
	err := s.tx(ctx, func(tx *sql.Tx) error {
		now := s.nowUTC()
		var termID int64
		err := tx.QueryRowContext(ctx, `
			INSERT INTO terms (slug, title, created_at, updated_at) VALUES (?, ?, ?, ?)
			RETURNING id`, sl, title, now, now).Scan(&termID)
		if isUnique(err) {
			return &ValidationError{Field: "title", Err: ErrDuplicate, Message: fmt.Sprintf(
				"There is already a term called “%s”. Propose a new wording of it instead.", title)}
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
	var ve *ValidationError
	if errors.As(err, &ve) {
		return Term{}, Version{}, err
	}
	if err != nil {
		return Term{}, Version{}, fmt.Errorf("create term %q: %w", title, err)
	}
	t, err := s.Term(ctx, sl)
	return t, v, err
}

const termColumns = `t.id, t.slug, t.title, coalesce(t.agreed_version_id, 0), coalesce(a.summary, ''),
	(SELECT count(*) FROM versions WHERE term_id = t.id), t.created_at, t.updated_at`

const termFrom = ` FROM terms t LEFT JOIN versions a ON a.id = t.agreed_version_id `

func scanTerm(row interface{ Scan(...any) error }, t *Term) error {
	return row.Scan(&t.ID, &t.Slug, &t.Title, &t.AgreedVersionID, &t.Summary,
		&t.Versions, &t.CreatedAt, &t.UpdatedAt)
}

// Term finds a term by slug.
func (s *Store) Term(ctx context.Context, slug string) (Term, error) {
	var t Term
	row := s.r.QueryRowContext(ctx, `SELECT `+termColumns+termFrom+`WHERE t.slug = ?`, slug)
	if err := scanTerm(row, &t); err != nil {
		return Term{}, fmt.Errorf("term %q: %w", slug, notFound(err))
	}
	return t, nil
}

// Terms lists every term A–Z.
func (s *Store) Terms(ctx context.Context) ([]Term, error) {
	return s.terms(ctx, `ORDER BY t.title COLLATE NOCASE, t.id`)
}

// RecentTerms lists the n terms changed most recently.
func (s *Store) RecentTerms(ctx context.Context, n int) ([]Term, error) {
	return s.terms(ctx, `ORDER BY t.updated_at DESC, t.id DESC LIMIT ?`, n)
}

// UsedIn lists the terms whose agreed wording links to slug, A–Z.
func (s *Store) UsedIn(ctx context.Context, slug string) ([]Term, error) {
	return s.terms(ctx, `WHERE t.agreed_version_id IN (SELECT version_id FROM links WHERE target_slug = ?)
		ORDER BY t.title COLLATE NOCASE`, slug)
}

// WantedBy lists the terms any of whose versions links to slug, A–Z: for a
// term nobody has started yet, who is asking for it.
func (s *Store) WantedBy(ctx context.Context, slug string) ([]Term, error) {
	return s.terms(ctx, `WHERE t.id IN (SELECT v.term_id FROM links l JOIN versions v ON v.id = l.version_id
		WHERE l.target_slug = ?) ORDER BY t.title COLLATE NOCASE`, slug)
}

func (s *Store) terms(ctx context.Context, tail string, args ...any) ([]Term, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+termColumns+termFrom+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("list terms: %w", err)
	}
	defer rows.Close()
	var terms []Term
	for rows.Next() {
		var t Term
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
