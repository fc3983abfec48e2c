package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"wordgarden/server/markdown"
	"wordgarden/server/model"
)

// summaryLen is the longest summary made from a version's text, in characters.
const summaryLen = 160

// asTyped turns the CRLF (or lone CR) line ends browsers send from a
// textarea into newlines, so that exports and diffs do not differ by
// invisible characters and a line break counts as one character.
func asTyped(text string) string {
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}

// CreateVersion adds a version to a term: a new proposal, or an amendment
// of another version of the same term when ParentID is set.
func (s *Store) CreateVersion(ctx context.Context, termID int64, nv model.NewVersion) (model.Version, error) {
	if err := nv.Validate(); err != nil {
		return model.Version{}, err
	}
	var v model.Version
	err := s.tx(ctx, func(tx *txn) error {
		var err error
		if v, err = s.insertVersion(ctx, tx, termID, nv, s.nowUTC()); err != nil {
			return err
		}
		return indexTerm(ctx, tx, termID)
	})
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return model.Version{}, err
	}
	if err != nil {
		return model.Version{}, fmt.Errorf("add version to term %d: %w", termID, err)
	}
	return s.Version(ctx, v.ID)
}

// insertVersion renders nv and writes it, with its links, inside tx.
func (s *Store) insertVersion(ctx context.Context, tx *txn, termID int64, nv model.NewVersion, now time.Time) (model.Version, error) {
	return s.insertVersionIn(ctx, tx, termID, nv, source, now)
}

// insertVersionIn is insertVersion for a wording in a language: English
// (source), or a translation's (translations.go).
func (s *Store) insertVersionIn(ctx context.Context, tx *txn, termID int64, nv model.NewVersion, in wordingLang, now time.Time) (model.Version, error) {
	nv.Markdown = asTyped(nv.Markdown)
	if nv.ParentID != 0 {
		var parentTerm int64
		err := tx.QueryRowContext(ctx, `SELECT term_id FROM versions WHERE id = ?`, nv.ParentID).Scan(&parentTerm)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && parentTerm != termID) {
			return model.Version{}, model.Invalid("parent_id", "invalid.version.parent_elsewhere")
		}
		if err != nil {
			return model.Version{}, err
		}
	}
	res, err := markdown.Render(nv.Markdown, existsIn(ctx, tx))
	if err != nil {
		return model.Version{}, fmt.Errorf("render: %w", err)
	}
	v := model.Version{
		TermID:       termID,
		ParentID:     nv.ParentID,
		Markdown:     nv.Markdown,
		HTML:         in.mark(res.HTML),
		Lang:         in.code,
		TranslatesID: in.translates,
		Title:        in.title,
		Text:         res.Text,
		Summary:      strings.TrimSpace(nv.Summary),
		AuthorRole:   "import",
		AuthorName:   "Imported glossary",
		CreatedAt:    now,
	}
	if v.Summary == "" {
		v.Summary = markdown.Summary(res.Text, summaryLen)
	}
	if a := nv.Author; a != nil {
		v.AuthorID, v.AuthorName, v.AuthorRole = a.ID, a.Name, string(a.Role)
		v.OrganisationName, v.Sector = a.OrganisationName, a.Sector
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO versions (term_id, parent_id, author_id, author_name, author_role,
			organisation_name, sector, markdown, html, text, summary, created_at,
			lang, translates_id, title)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		termID, nullInt(v.ParentID), nullInt(v.AuthorID), v.AuthorName, v.AuthorRole,
		v.OrganisationName, v.Sector, v.Markdown, v.HTML, v.Text, v.Summary, now,
		v.Lang, nullInt(v.TranslatesID), v.Title).Scan(&v.ID)
	if err != nil {
		return model.Version{}, err
	}
	for _, target := range res.Links {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO links (version_id, target_slug) VALUES (?, ?)`, v.ID, target); err != nil {
			return model.Version{}, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE terms SET updated_at = ? WHERE id = ?`, now, termID); err != nil {
		return model.Version{}, err
	}
	return v, nil
}

// existsIn reports whether a term slug exists, as seen inside tx.
func existsIn(ctx context.Context, tx *txn) func(string) bool {
	return func(slug string) bool {
		var one int
		return tx.QueryRowContext(ctx, `SELECT 1 FROM terms WHERE slug = ?`, slug).Scan(&one) == nil
	}
}

// relink renders again the versions that link to slug, which has just come
// into being, so that their links to it stop showing as missing.
func relink(ctx context.Context, tx *txn, slug string) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT v.id, v.markdown, v.lang FROM versions v JOIN links l ON l.version_id = v.id
		WHERE l.target_slug = ?`, slug)
	if err != nil {
		return fmt.Errorf("find links to %s: %w", slug, err)
	}
	type linking struct {
		id       int64
		md, lang string
	}
	var found []linking
	for rows.Next() {
		var l linking
		if err := rows.Scan(&l.id, &l.md, &l.lang); err != nil {
			rows.Close()
			return fmt.Errorf("find links to %s: %w", slug, err)
		}
		found = append(found, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("find links to %s: %w", slug, err)
	}
	for _, l := range found {
		res, err := markdown.Render(l.md, existsIn(ctx, tx))
		if err != nil {
			return fmt.Errorf("render version %d: %w", l.id, err)
		}
		html := wordingLang{code: l.lang}.mark(res.HTML)
		if _, err := tx.ExecContext(ctx, `UPDATE versions SET html = ? WHERE id = ?`, html, l.id); err != nil {
			return fmt.Errorf("relink version %d: %w", l.id, err)
		}
	}
	return nil
}

const versionColumns = `v.id, v.term_id, t.slug, t.title, coalesce(v.parent_id, 0), coalesce(v.author_id, 0),
	v.author_name, v.author_role, v.organisation_name, v.sector, v.markdown, v.html, v.text, v.summary, v.created_at,
	v.lang, coalesce(v.translates_id, 0), v.title`

func scanVersion(row interface{ Scan(...any) error }, v *model.Version) error {
	return row.Scan(&v.ID, &v.TermID, &v.TermSlug, &v.TermTitle, &v.ParentID, &v.AuthorID,
		&v.AuthorName, &v.AuthorRole, &v.OrganisationName, &v.Sector, &v.Markdown, &v.HTML,
		&v.Text, &v.Summary, &v.CreatedAt, &v.Lang, &v.TranslatesID, &v.Title)
}

// Version finds a version by id.
func (s *Store) Version(ctx context.Context, id int64) (model.Version, error) {
	var v model.Version
	row := s.r.QueryRowContext(ctx, `SELECT `+versionColumns+`
		FROM versions v JOIN terms t ON t.id = v.term_id WHERE v.id = ?`, id)
	if err := scanVersion(row, &v); err != nil {
		return model.Version{}, notFound(err, model.ThingVersion, id)
	}
	return v, nil
}

// Versions lists every English version of a term, oldest first; its
// translations are Translations.
func (s *Store) Versions(ctx context.Context, termID int64) ([]model.Version, error) {
	return s.versionsIn(ctx, termID, `v.lang = 'en'`)
}

// versionsIn lists a term's versions that meet cond, oldest first.
func (s *Store) versionsIn(ctx context.Context, termID int64, cond string, args ...any) ([]model.Version, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+versionColumns+`
		FROM versions v JOIN terms t ON t.id = v.term_id
		WHERE v.term_id = ? AND `+cond+` ORDER BY v.id`, append([]any{termID}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("versions of term %d: %w", termID, err)
	}
	defer rows.Close()
	var vs []model.Version
	for rows.Next() {
		var v model.Version
		if err := scanVersion(rows, &v); err != nil {
			return nil, fmt.Errorf("versions of term %d: %w", termID, err)
		}
		vs = append(vs, v)
	}
	return vs, rows.Err()
}
