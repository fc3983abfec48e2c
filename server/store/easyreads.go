package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"wordgarden/server/markdown"
	"wordgarden/server/model"
)

// CreateEasyRead adds an Easy Read version to a term. ne.ExplainsID must be
// the term's agreed wording as it is when the Easy Read version is stored:
// one written while another wording was agreed is refused, rather than
// tied to a wording it does not explain.
func (s *Store) CreateEasyRead(ctx context.Context, termID int64, ne model.NewEasyRead) (model.EasyRead, error) {
	ne.ImageAlt = strings.TrimSpace(ne.ImageAlt)
	if err := ne.Validate(); err != nil {
		return model.EasyRead{}, err
	}
	lines := model.EasyReadLines(ne.Markdown)
	var id int64
	err := s.tx(ctx, func(tx *txn) error {
		agreed, err := agreedVersionID(ctx, tx, termID)
		if err != nil {
			return err
		}
		if agreed == 0 || agreed != ne.ExplainsID {
			return model.Invalid("explains", "invalid.easyread.not_agreed")
		}
		// Each line is a paragraph of its own: one idea, on its own line
		// wherever it is shown.
		res, err := markdown.Render(strings.Join(lines, "\n\n"), existsIn(ctx, tx))
		if err != nil {
			return fmt.Errorf("render: %w", err)
		}
		e := model.EasyRead{AuthorName: "Imported glossary", AuthorRole: "import"}
		if a := ne.Author; a != nil {
			e.AuthorID, e.AuthorName, e.AuthorRole = a.ID, a.Name, string(a.Role)
			e.OrganisationName, e.Sector = a.OrganisationName, a.Sector
		}
		now := s.nowUTC()
		err = tx.QueryRowContext(ctx, `
			INSERT INTO easy_reads (term_id, lang, markdown, html, image, image_alt, explains_id,
				author_id, author_name, author_role, organisation_name, sector, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			termID, ne.Lang, strings.Join(lines, "\n"), res.HTML, ne.Image, ne.ImageAlt, ne.ExplainsID,
			nullInt(e.AuthorID), e.AuthorName, e.AuthorRole, e.OrganisationName, e.Sector, now).Scan(&id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE terms SET updated_at = ? WHERE id = ?`, now, termID)
		return err
	})
	var ve *model.ValidationError
	if errors.As(err, &ve) || errors.Is(err, model.ErrNotFound) {
		return model.EasyRead{}, err
	}
	if err != nil {
		return model.EasyRead{}, fmt.Errorf("add an Easy Read version to term %d: %w", termID, err)
	}
	all, err := s.EasyReads(ctx, termID)
	if err != nil {
		return model.EasyRead{}, err
	}
	for _, e := range all {
		if e.ID == id {
			return e, nil
		}
	}
	return model.EasyRead{}, model.NotFound(model.ThingEasyRead, id)
}

// EasyReads lists a term's Easy Read versions, newest first: the first of
// each language is the one shown, the others its history.
func (s *Store) EasyReads(ctx context.Context, termID int64) ([]model.EasyRead, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT e.id, e.term_id, t.slug, e.lang, e.markdown, e.html, e.image, e.image_alt, e.explains_id,
			coalesce(e.author_id, 0), e.author_name, e.author_role, e.organisation_name, e.sector, e.created_at
		FROM easy_reads e JOIN terms t ON t.id = e.term_id
		WHERE e.term_id = ? ORDER BY e.id DESC`, termID)
	if err != nil {
		return nil, fmt.Errorf("Easy Read versions of term %d: %w", termID, err)
	}
	defer rows.Close()
	var out []model.EasyRead
	for rows.Next() {
		var e model.EasyRead
		if err := rows.Scan(&e.ID, &e.TermID, &e.TermSlug, &e.Lang, &e.Markdown, &e.HTML, &e.Image, &e.ImageAlt,
			&e.ExplainsID, &e.AuthorID, &e.AuthorName, &e.AuthorRole, &e.OrganisationName, &e.Sector, &e.CreatedAt); err != nil {
			return nil, fmt.Errorf("Easy Read versions of term %d: %w", termID, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("Easy Read versions of term %d: %w", termID, err)
	}
	return out, nil
}

// EasyRead is the Easy Read version of a term shown in a language: the
// newest. A term without one gives a *model.NotFoundError.
func (s *Store) EasyRead(ctx context.Context, termID int64, lang string) (model.EasyRead, error) {
	all, err := s.EasyReads(ctx, termID)
	if err != nil {
		return model.EasyRead{}, err
	}
	for _, e := range all {
		if e.Lang == lang {
			return e, nil
		}
	}
	return model.EasyRead{}, model.NotFound(model.ThingEasyRead, termID)
}
