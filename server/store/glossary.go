package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// AgreedGlossary lists every term that has an agreed wording, A–Z by
// title. Terms still waiting for one are left out.
func (s *Store) AgreedGlossary(ctx context.Context) ([]model.GlossaryEntry, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT `+versionColumns+`, t.created_at, t.updated_at,
			coalesce(r.id, 0), r.closed_at, coalesce(`+s.dialect.jsonInt("r.result", "ballots")+`, 0)
		FROM terms t JOIN versions v ON v.id = t.agreed_version_id
		LEFT JOIN rounds r ON r.id = (SELECT max(id) FROM rounds
			WHERE term_id = t.id AND winner_version_id = t.agreed_version_id)
		ORDER BY lower(t.title), t.id`)
	if err != nil {
		return nil, fmt.Errorf("agreed glossary: %w", err)
	}
	defer rows.Close()
	var out []model.GlossaryEntry
	byTerm := map[int64]int{}
	for rows.Next() {
		var e model.GlossaryEntry
		var closed sql.NullTime
		v := &e.Version
		err := scanVersion(scanMore{rows, []any{&e.Term.CreatedAt, &e.Term.UpdatedAt, &e.RoundID, &closed, &e.Ballots}}, v)
		if err != nil {
			return nil, fmt.Errorf("agreed glossary: %w", err)
		}
		e.Term.ID, e.Term.Slug, e.Term.Title = v.TermID, v.TermSlug, v.TermTitle
		e.Term.AgreedVersionID, e.Term.Summary = v.ID, v.Summary
		e.AgreedAt = v.CreatedAt
		if e.RoundID != 0 {
			e.AgreedAt = closed.Time
		}
		byTerm[e.Term.ID] = len(out)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("agreed glossary: %w", err)
	}
	rows.Close()

	links, err := s.r.QueryContext(ctx, `
		SELECT t.id, x.slug FROM terms t
		JOIN links l ON l.version_id = t.agreed_version_id
		JOIN terms x ON x.slug = l.target_slug AND x.agreed_version_id IS NOT NULL AND x.id <> t.id
		ORDER BY t.id, x.slug`)
	if err != nil {
		return nil, fmt.Errorf("agreed glossary links: %w", err)
	}
	defer links.Close()
	for links.Next() {
		var id int64
		var slug string
		if err := links.Scan(&id, &slug); err != nil {
			return nil, fmt.Errorf("agreed glossary links: %w", err)
		}
		if i, ok := byTerm[id]; ok {
			out[i].Related = append(out[i].Related, slug)
		}
	}
	if err := links.Err(); err != nil {
		return nil, fmt.Errorf("agreed glossary links: %w", err)
	}
	links.Close()
	if err := s.glossaryTranslations(ctx, out, byTerm); err != nil {
		return nil, err
	}
	return out, nil
}

// glossaryTranslations adds to each entry its agreed wordings in other
// languages, in the order of i18n.Languages.
func (s *Store) glossaryTranslations(ctx context.Context, out []model.GlossaryEntry, byTerm map[int64]int) error {
	rows, err := s.r.QueryContext(ctx, `
		SELECT `+versionColumns+`, a.agreed_at, coalesce(a.round_id, 0),
			coalesce(`+s.dialect.jsonInt("r.result", "ballots")+`, 0)
		FROM agreed_translations a JOIN versions v ON v.id = a.version_id JOIN terms t ON t.id = v.term_id
		LEFT JOIN rounds r ON r.id = a.round_id
		ORDER BY a.term_id, a.lang`)
	if err != nil {
		return fmt.Errorf("agreed glossary translations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tr model.GlossaryTranslation
		if err := scanVersion(scanMore{rows, []any{&tr.AgreedAt, &tr.RoundID, &tr.Ballots}}, &tr.Version); err != nil {
			return fmt.Errorf("agreed glossary translations: %w", err)
		}
		if i, ok := byTerm[tr.Version.TermID]; ok {
			out[i].Translations = append(out[i].Translations, tr)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("agreed glossary translations: %w", err)
	}
	for i := range out {
		slices.SortStableFunc(out[i].Translations, func(a, b model.GlossaryTranslation) int {
			return langOrder(a.Version.Lang) - langOrder(b.Version.Lang)
		})
	}
	return nil
}

// langOrder is where a language comes in i18n.Languages.
func langOrder(code string) int {
	for i, l := range i18n.Languages {
		if l.Code == code {
			return i
		}
	}
	return len(i18n.Languages)
}

// scanMore scans a row's columns into a scan function's destinations and
// then into more, so that a row of known columns can carry a few extra.
type scanMore struct {
	row  interface{ Scan(...any) error }
	more []any
}

func (s scanMore) Scan(dest ...any) error { return s.row.Scan(append(dest, s.more...)...) }
