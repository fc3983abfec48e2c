package store

import (
	"context"
	"database/sql"
	"fmt"

	"wordgarden/server/model"
)

// AgreedGlossary lists every term that has an agreed wording, A–Z by
// title. Terms still waiting for one are left out.
func (s *Store) AgreedGlossary(ctx context.Context) ([]model.GlossaryEntry, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT `+versionColumns+`, t.created_at, t.updated_at,
			coalesce(r.id, 0), r.closed_at, coalesce(json_extract(r.result, '$.ballots'), 0)
		FROM terms t JOIN versions v ON v.id = t.agreed_version_id
		LEFT JOIN rounds r ON r.id = (SELECT max(id) FROM rounds
			WHERE term_id = t.id AND winner_version_id = t.agreed_version_id)
		ORDER BY t.title COLLATE NOCASE, t.id`)
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
	return out, links.Err()
}

// scanMore scans a row's columns into a scan function's destinations and
// then into more, so that a row of known columns can carry a few extra.
type scanMore struct {
	row  interface{ Scan(...any) error }
	more []any
}

func (s scanMore) Scan(dest ...any) error { return s.row.Scan(append(dest, s.more...)...) }
