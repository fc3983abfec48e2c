package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"wordgarden/server/model"
)

// The recent changes (GET /changes and the Atom feeds) are read from the
// tables that already hold them: a term, a version and a round each keep
// the time they came into being, and a round the time it closed. Nothing
// is written twice, so the list can never disagree with the pages.

// changeArms select, for each kind, the changes of that kind newest first:
// kind, id, at, term_id, version_id, round_id. Each is a query of its own
// with its own index on the time, so that a page of the UNION of them reads
// at most a page from each table rather than sorting every row there is.
// {{where}} is replaced by the conditions of the query (a term, a cursor).
var changeArms = map[model.ChangeKind]changeArm{
	// A term's first version is part of the term, not a change of its own.
	model.ChangeTerm: {`SELECT 'term' AS kind, t.id AS id, t.created_at AS at, t.id AS term_id,
		(SELECT min(id) FROM versions WHERE term_id = t.id) AS version_id, CAST(NULL AS BIGINT) AS round_id
		FROM terms t WHERE {{where}} ORDER BY t.created_at DESC, t.id DESC LIMIT @n`,
		"t.created_at", "t.id", "t.id", ""},
	model.ChangeVersion: {`SELECT 'version' AS kind, v.id AS id, v.created_at AS at, v.term_id AS term_id,
		v.id AS version_id, CAST(NULL AS BIGINT) AS round_id
		FROM versions v WHERE EXISTS (SELECT 1 FROM versions p WHERE p.term_id = v.term_id AND p.id < v.id)
		AND {{where}} ORDER BY v.created_at DESC, v.id DESC LIMIT @n`,
		"v.created_at", "v.id", "v.term_id", "v.lang"},
	model.ChangeOpened: {`SELECT 'opened' AS kind, r.id AS id, r.opened_at AS at, r.term_id AS term_id,
		CAST(NULL AS BIGINT) AS version_id, r.id AS round_id
		FROM rounds r WHERE {{where}} ORDER BY r.opened_at DESC, r.id DESC LIMIT @n`,
		"r.opened_at", "r.id", "r.term_id", "r.lang"},
	model.ChangeClosed: {`SELECT 'closed' AS kind, r.id AS id, r.closed_at AS at, r.term_id AS term_id,
		CAST(NULL AS BIGINT) AS version_id, r.id AS round_id
		FROM rounds r WHERE r.closed_at IS NOT NULL AND r.winner_version_id IS NULL
		AND {{where}} ORDER BY r.closed_at DESC, r.id DESC LIMIT @n`,
		"r.closed_at", "r.id", "r.term_id", "r.lang"},
	model.ChangeSettled: {`SELECT 'settled' AS kind, r.id AS id, r.closed_at AS at, r.term_id AS term_id,
		r.winner_version_id AS version_id, r.id AS round_id
		FROM rounds r WHERE r.closed_at IS NOT NULL AND r.winner_version_id IS NOT NULL
		AND {{where}} ORDER BY r.closed_at DESC, r.id DESC LIMIT @n`,
		"r.closed_at", "r.id", "r.term_id", "r.lang"},
	// A hidden comment leaves the list.
	model.ChangeComment: {`SELECT 'comment' AS kind, c.id AS id, c.created_at AS at, v.term_id AS term_id,
		c.version_id AS version_id, CAST(NULL AS BIGINT) AS round_id
		FROM comments c JOIN versions v ON v.id = c.version_id WHERE c.hidden_at IS NULL
		AND {{where}} ORDER BY c.created_at DESC, c.id DESC LIMIT @n`,
		"c.created_at", "c.id", "v.term_id", "v.lang"},
}

// changeArm is the query of one kind of change, and the columns of its
// time, id and term.
type changeArm struct{ sql, at, id, term, lang string }

// query is the arm's query with conds as its conditions.
func (a changeArm) query(conds []string) string {
	if len(conds) == 0 {
		conds = []string{"true"}
	}
	return strings.Replace(a.sql, "{{where}}", strings.Join(conds, " AND "), 1)
}

// Changes lists changes newest first: by time, then kind, then id, so that
// the order is total and a cursor picks up exactly where a page ended.
func (s *Store) Changes(ctx context.Context, q model.ChangeQuery) ([]model.Change, error) {
	kinds := q.Kinds
	if len(kinds) == 0 {
		kinds = model.ChangeKinds
	}
	if q.Limit <= 0 {
		return nil, nil
	}
	args := []any{sql.Named("n", q.Limit)}
	if q.TermID != 0 {
		args = append(args, sql.Named("term", q.TermID))
	}
	if !q.Before.IsZero() {
		// Stored times are UTC, bound as go-sqlite3 writes them, so that
		// they compare as text in time order.
		args = append(args, sql.Named("at", q.Before.At.UTC()),
			sql.Named("kind", string(q.Before.Kind)), sql.Named("id", q.Before.ID))
	}
	byLang := q.Lang != "" && q.Lang != model.SourceLang
	if byLang {
		args = append(args, sql.Named("lang", q.Lang))
	}
	var arms []string
	for _, k := range kinds {
		arm, ok := changeArms[k]
		if !ok {
			return nil, fmt.Errorf("changes: no kind of change %q", k)
		}
		var where []string
		if q.TermID != 0 {
			where = append(where, arm.term+" = @term")
		}
		if byLang && arm.lang != "" {
			where = append(where, arm.lang+" IN ('en', @lang)")
		}
		if !q.Before.IsZero() {
			// The first condition is the one the time's index serves.
			where = append(where, fmt.Sprintf("%[1]s <= @at AND (%[1]s < @at OR ('%[3]s', %[2]s) < (@kind, @id))",
				arm.at, arm.id, k))
		}
		arms = append(arms, "SELECT * FROM ("+arm.query(where)+") AS arm")
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT c.kind, c.id, c.at, t.slug, t.title,
			coalesce(v.id, 0), coalesce(v.parent_id, 0), coalesce(v.author_id, 0), coalesce(v.author_name, ''),
			coalesce(v.author_role, ''), coalesce(v.organisation_name, ''), coalesce(v.sector, ''),
			coalesce(v.summary, ''), coalesce(v.html, ''), v.created_at,
			coalesce(r.method, ''), r.closes_at, coalesce(r.outcome, ''),
			coalesce(`+s.dialect.jsonInt("r.result", "ballots")+`, 0), coalesce(`+s.dialect.jsonText("r.result", "reason")+`, ''),
			coalesce(cm.kind, ''), coalesce(cm.parent_id, 0), coalesce(cm.author_name, ''), coalesce(cm.author_role, ''),
			coalesce(cm.organisation_name, ''), coalesce(cm.sector, ''), coalesce(cm.neighbourhood_name, ''),
			coalesce(r.lang, v.lang, 'en'), coalesce(v.title, '')
		FROM (`+strings.Join(arms, "\nUNION ALL\n")+`) c
		JOIN terms t ON t.id = c.term_id
		LEFT JOIN versions v ON v.id = c.version_id
		LEFT JOIN rounds r ON r.id = c.round_id
		LEFT JOIN comments cm ON c.kind = 'comment' AND cm.id = c.id
		ORDER BY c.at DESC, c.kind DESC, c.id DESC LIMIT @n`, args...)
	if err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	defer rows.Close()
	var out []model.Change
	for rows.Next() {
		var c model.Change
		var vt, closes sql.NullTime
		err := rows.Scan(&c.Kind, &c.ID, anyTime{&c.At}, &c.TermSlug, &c.TermTitle,
			&c.Version.ID, &c.Version.ParentID, &c.Version.AuthorID, &c.Version.AuthorName,
			&c.Version.AuthorRole, &c.Version.OrganisationName, &c.Version.Sector,
			&c.Version.Summary, &c.Version.HTML, &vt,
			&c.Method, &closes, &c.Outcome, &c.Ballots, &c.Reason,
			&c.Comment.Kind, &c.Comment.ParentID, &c.Comment.AuthorName, &c.Comment.AuthorRole,
			&c.Comment.OrganisationName, &c.Comment.Sector, &c.Comment.NeighbourhoodName,
			&c.Lang, &c.Version.Title)
		if err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		c.Version.CreatedAt, c.ClosesAt = vt.Time, closes.Time
		if c.Version.ID != 0 {
			c.Version.TermSlug, c.Version.TermTitle, c.Version.Lang = c.TermSlug, c.TermTitle, c.Lang
		}
		if c.Kind == model.ChangeOpened || c.Kind == model.ChangeClosed || c.Kind == model.ChangeSettled {
			c.RoundID = c.ID
		}
		if c.Kind == model.ChangeComment {
			c.Comment.ID, c.Comment.VersionID, c.Comment.CreatedAt = c.ID, c.Version.ID, c.At
			c.Comment.TermSlug, c.Comment.TermTitle = c.TermSlug, c.TermTitle
		} else {
			c.Comment = model.Comment{}
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// anyTime scans a stored time that SQLite hands back as text: a column of a
// UNION has no declared type, so go-sqlite3 does not make it a time.Time.
type anyTime struct{ t *time.Time }

func (a anyTime) Scan(v any) error {
	var s string
	switch x := v.(type) {
	case time.Time:
		*a.t = x
		return nil
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return fmt.Errorf("a time stored as %T", v)
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			*a.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("a time stored as %q", s)
}

// timeLayouts are how go-sqlite3 writes times (its SQLiteTimestampFormats).
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
}
