package store

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"strings"
	"unicode"

	"wordgarden/server/model"
)

// Snippet markers: control characters that cannot occur in indexed text, so
// the snippet can be escaped first and marked up after.
const markOpen, markClose = "\x02", "\x03"

// MatchQuery turns what a person typed into an FTS5 query: each word becomes
// a quoted prefix term, so FTS syntax in the input ("NEAR", quotes, "*",
// "-", column filters) is only ever searched for, never obeyed. It returns ""
// when the input has no words.
func MatchQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) > 12 {
		words = words[:12]
	}
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}

// Search finds terms whose title or wording holds every word of q (as a
// word or the start of one), in English or in a translation, best match
// first. Titles weigh most (translated titles a little less), then agreed
// wording, then translations, then proposals.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]model.SearchHit, error) {
	match := MatchQuery(q)
	if match == "" {
		return nil, nil
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT t.slug, t.title, t.agreed_version_id IS NOT NULL,
			snippet(term_search, -1, char(2), char(3), '…', 16)
		FROM term_search JOIN terms t ON t.id = term_search.rowid
		WHERE term_search MATCH ?
		ORDER BY bm25(term_search, 10.0, 4.0, 1.0, 8.0, 2.0), t.title
		LIMIT ?`, match, limit)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, err)
	}
	defer rows.Close()
	var hits []model.SearchHit
	for rows.Next() {
		var h model.SearchHit
		var snip string
		if err := rows.Scan(&h.Slug, &h.Title, &h.Agreed, &snip); err != nil {
			return nil, fmt.Errorf("search %q: %w", q, err)
		}
		h.Snippet = markSnippet(snip)
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// markSnippet escapes a snippet and turns its markers into <mark> elements.
func markSnippet(s string) template.HTML {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, markOpen, "<mark>")
	s = strings.ReplaceAll(s, markClose, "</mark>")
	return template.HTML(s)
}

// indexTerm writes a term's search row afresh, inside tx. Translations go
// into columns of their own, every language together: their titles (each
// once), and their texts.
func indexTerm(ctx context.Context, tx *txn, termID int64) error {
	var title, agreed, proposed, titles, translated string
	err := tx.QueryRowContext(ctx, `
		SELECT t.title, coalesce(a.text, ''),
			coalesce((SELECT group_concat(v.text, char(10) || char(10)) FROM versions v
				WHERE v.term_id = t.id AND v.lang = 'en' AND v.id IS NOT t.agreed_version_id), ''),
			coalesce((SELECT group_concat(title, char(10)) FROM (SELECT DISTINCT v.title FROM versions v
				WHERE v.term_id = t.id AND v.lang <> 'en')), ''),
			coalesce((SELECT group_concat(v.text, char(10) || char(10)) FROM versions v
				WHERE v.term_id = t.id AND v.lang <> 'en'), '')
		FROM terms t LEFT JOIN versions a ON a.id = t.agreed_version_id
		WHERE t.id = ?`, termID).Scan(&title, &agreed, &proposed, &titles, &translated)
	if err != nil {
		return fmt.Errorf("index term %d: %w", termID, err)
	}
	// Strip the snippet markers should anyone type them.
	clean := strings.NewReplacer(markOpen, "", markClose, "").Replace
	if _, err := tx.ExecContext(ctx, `DELETE FROM term_search WHERE rowid = ?`, termID); err != nil {
		return fmt.Errorf("index term %d: %w", termID, err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO term_search (rowid, title, agreed, proposed, translated_title, translated) VALUES (?, ?, ?, ?, ?, ?)`,
		termID, clean(title), clean(agreed), clean(proposed), clean(titles), clean(translated)); err != nil {
		return fmt.Errorf("index term %d: %w", termID, err)
	}
	return nil
}

// indexAll writes every term's search row afresh, inside tx.
func indexAll(ctx context.Context, tx *txn) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM terms ORDER BY id`)
	if err != nil {
		return fmt.Errorf("index every term: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("index every term: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("index every term: %w", err)
	}
	for _, id := range ids {
		if err := indexTerm(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}
