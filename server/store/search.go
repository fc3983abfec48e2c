package store

import (
	"context"
	"database/sql"
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
	words := searchWords(q)
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}

// searchWords are the words of a search, the first 12.
func searchWords(q string) []string {
	words := strings.FieldsFunc(q, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	return words[:min(len(words), 12)]
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
	var rows *sql.Rows
	var err error
	if s.dialect == postgres {
		rows, err = s.r.QueryContext(ctx, searchPostgres, tsQuery(q), snippetOptions, limit)
	} else {
		rows, err = s.r.QueryContext(ctx, searchSQLite, match, limit)
	}
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

const searchSQLite = `
	SELECT t.slug, t.title, t.agreed_version_id IS NOT NULL,
		snippet(term_search, -1, char(2), char(3), '…', 16)
	FROM term_search JOIN terms t ON t.id = term_search.rowid
	WHERE term_search MATCH ?
	ORDER BY bm25(term_search, 10.0, 4.0, 1.0, 8.0, 2.0), t.title
	LIMIT ?`

// searchPostgres ranks with ts_rank over the document's weights (title A,
// agreed B, translations C, proposals D: see the schema) and takes the
// snippet from the texts the way FTS5's does, the matches marked.
const searchPostgres = `
	WITH q AS (SELECT to_tsquery('simple', wg_unaccent(?)) AS query)
	SELECT t.slug, t.title, t.agreed_version_id IS NOT NULL,
		ts_headline('wg_headline',
			concat_ws(' … ', nullif(s.agreed, ''), nullif(s.proposed, ''), nullif(s.translated_title, ''), nullif(s.translated, ''), s.title),
			q.query, ?)
	FROM q, term_search s JOIN terms t ON t.id = s.term_id
	WHERE s.document @@ q.query
	ORDER BY ts_rank(s.document, q.query) DESC, t.title
	LIMIT ?`

// snippetOptions are ts_headline's: about as long as FTS5's 16-word
// snippet, the matches between the markers.
const snippetOptions = "StartSel=" + markOpen + ", StopSel=" + markClose +
	", MaxWords=16, MinWords=8, ShortWord=2, MaxFragments=2, FragmentDelimiter=\" … \""

// tsQuery is MatchQuery for PostgreSQL: each word a prefix, all needed.
// The words hold only letters and digits, so nothing typed is read as
// tsquery syntax.
func tsQuery(q string) string {
	words := searchWords(q)
	for i, w := range words {
		words[i] = w + ":*"
	}
	return strings.Join(words, " & ")
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
	err := tx.QueryRowContext(ctx, tx.dialect.pick(indexSQLite, indexPostgres), termID).
		Scan(&title, &agreed, &proposed, &titles, &translated)
	if err != nil {
		return fmt.Errorf("index term %d: %w", termID, err)
	}
	// Strip the snippet markers should anyone type them.
	clean := strings.NewReplacer(markOpen, "", markClose, "").Replace
	// The FTS5 table's key is its rowid; PostgreSQL's table names it.
	key := tx.dialect.pick("rowid", "term_id")
	if _, err := tx.ExecContext(ctx, `DELETE FROM term_search WHERE `+key+` = ?`, termID); err != nil {
		return fmt.Errorf("index term %d: %w", termID, err)
	}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO term_search (`+key+`, title, agreed, proposed, translated_title, translated) VALUES (?, ?, ?, ?, ?, ?)`,
		termID, clean(title), clean(agreed), clean(proposed), clean(titles), clean(translated)); err != nil {
		return fmt.Errorf("index term %d: %w", termID, err)
	}
	return nil
}

// The texts a term is found by: its title, its agreed wording, its other
// English wordings, its titles in other languages (each once) and their
// wordings.
const (
	indexSQLite = `
		SELECT t.title, coalesce(a.text, ''),
			coalesce((SELECT group_concat(v.text, char(10) || char(10)) FROM versions v
				WHERE v.term_id = t.id AND v.lang = 'en' AND v.id IS NOT t.agreed_version_id), ''),
			coalesce((SELECT group_concat(title, char(10)) FROM (SELECT DISTINCT v.title FROM versions v
				WHERE v.term_id = t.id AND v.lang <> 'en')), ''),
			coalesce((SELECT group_concat(v.text, char(10) || char(10)) FROM versions v
				WHERE v.term_id = t.id AND v.lang <> 'en'), '')
		FROM terms t LEFT JOIN versions a ON a.id = t.agreed_version_id
		WHERE t.id = ?`
	indexPostgres = `
		SELECT t.title, coalesce(a.text, ''),
			coalesce((SELECT string_agg(v.text, E'\n\n' ORDER BY v.id) FROM versions v
				WHERE v.term_id = t.id AND v.lang = 'en' AND v.id IS DISTINCT FROM t.agreed_version_id), ''),
			coalesce((SELECT string_agg(DISTINCT v.title, E'\n') FROM versions v
				WHERE v.term_id = t.id AND v.lang <> 'en'), ''),
			coalesce((SELECT string_agg(v.text, E'\n\n' ORDER BY v.id) FROM versions v
				WHERE v.term_id = t.id AND v.lang <> 'en'), '')
		FROM terms t LEFT JOIN versions a ON a.id = t.agreed_version_id
		WHERE t.id = ?`
)

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
