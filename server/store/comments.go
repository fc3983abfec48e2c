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

// CreateComment adds a comment to a version. perMinute, if above 0, is how
// many comments one person may post in a minute: one more is refused with
// ErrTooManyComments. The count is taken inside the writing transaction,
// so concurrent posts cannot slip past it. A version that does not exist is
// ErrNotFound.
func (s *Store) CreateComment(ctx context.Context, nc model.NewComment, perMinute int) (model.Comment, error) {
	nc.Markdown = asTyped(nc.Markdown)
	if err := nc.Validate(); err != nil {
		return model.Comment{}, err
	}
	var id int64
	err := s.tx(ctx, func(tx *txn) error {
		now := s.nowUTC()
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM versions WHERE id = ?`, nc.VersionID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound(model.ThingVersion, nc.VersionID)
		}
		if err != nil {
			return err
		}
		parent := nc.ParentID
		if parent != 0 {
			var version, grandparent int64
			err := tx.QueryRowContext(ctx, `SELECT version_id, coalesce(parent_id, 0) FROM comments WHERE id = ?`,
				parent).Scan(&version, &grandparent)
			if errors.Is(err, sql.ErrNoRows) || (err == nil && version != nc.VersionID) {
				return model.Invalid("parent_id", "invalid.comment.reply_elsewhere")
			}
			if err != nil {
				return err
			}
			if grandparent != 0 {
				parent = grandparent
			}
		}
		if perMinute > 0 {
			var recent int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM comments WHERE author_id = ? AND created_at > ?`,
				nc.Author.ID, now.Add(-time.Minute)).Scan(&recent); err != nil {
				return err
			}
			if recent >= perMinute {
				return model.ErrTooManyComments
			}
		}
		// The writer as stored now, so that where they speak from is not
		// taken from a stale session.
		var a model.User
		row := tx.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = ?`, nc.Author.ID)
		if err := scanUser(row, &a); err != nil {
			return notFound(err, model.ThingUser, nc.Author.ID)
		}
		res, err := markdown.Render(nc.Markdown, existsIn(ctx, tx))
		if err != nil {
			return fmt.Errorf("render: %w", err)
		}
		return tx.QueryRowContext(ctx, `
			INSERT INTO comments (version_id, parent_id, author_id, author_name, author_role,
				organisation_name, sector, neighbourhood_name, kind, markdown, html, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			nc.VersionID, nullInt(parent), a.ID, a.Name, a.Role, a.OrganisationName, a.Sector,
			a.NeighbourhoodName, nc.Kind, nc.Markdown, res.HTML, now).Scan(&id)
	})
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve), errors.Is(err, model.ErrTooManyComments), errors.Is(err, model.ErrNotFound):
		return model.Comment{}, err
	case err != nil:
		return model.Comment{}, fmt.Errorf("comment on version %d: %w", nc.VersionID, err)
	}
	return s.Comment(ctx, id)
}

const commentColumns = `c.id, c.version_id, t.slug, t.title, coalesce(c.parent_id, 0), c.author_id,
	c.author_name, c.author_role, c.organisation_name, c.sector, c.neighbourhood_name, c.kind,
	c.markdown, c.html, c.created_at, c.hidden_at IS NOT NULL, coalesce(c.hidden_reason, ''), c.hidden_at`

const commentFrom = ` FROM comments c JOIN versions v ON v.id = c.version_id JOIN terms t ON t.id = v.term_id `

func scanComment(row interface{ Scan(...any) error }, c *model.Comment) error {
	var hiddenAt sql.NullTime
	err := row.Scan(&c.ID, &c.VersionID, &c.TermSlug, &c.TermTitle, &c.ParentID, &c.AuthorID,
		&c.AuthorName, &c.AuthorRole, &c.OrganisationName, &c.Sector, &c.NeighbourhoodName, &c.Kind,
		&c.Markdown, &c.HTML, &c.CreatedAt, &c.Hidden, &c.HiddenReason, &hiddenAt)
	c.HiddenAt = hiddenAt.Time
	return err
}

// Comment finds a comment by id.
func (s *Store) Comment(ctx context.Context, id int64) (model.Comment, error) {
	var c model.Comment
	row := s.r.QueryRowContext(ctx, `SELECT `+commentColumns+commentFrom+`WHERE c.id = ?`, id)
	if err := scanComment(row, &c); err != nil {
		return model.Comment{}, notFound(err, model.ThingComment, id)
	}
	return c, nil
}

// Comments lists the threads on a version: each comment that is no reply,
// oldest first, with its replies, oldest first. Hidden comments are in the
// list, marked, so that a thread keeps its shape.
func (s *Store) Comments(ctx context.Context, versionID int64) ([]model.Comment, error) {
	m, err := s.CommentsOn(ctx, []int64{versionID})
	return m[versionID], err
}

// CommentsOn is Comments for several versions at once, by version id.
func (s *Store) CommentsOn(ctx context.Context, versionIDs []int64) (map[int64][]model.Comment, error) {
	out := make(map[int64][]model.Comment, len(versionIDs))
	if len(versionIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(versionIDs))
	for i, id := range versionIDs {
		args[i] = id
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+commentColumns+commentFrom+`
		WHERE c.version_id IN (`+placeholders(len(args))+`) ORDER BY c.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	defer rows.Close()
	var all []model.Comment
	for rows.Next() {
		var c model.Comment
		if err := scanComment(rows, &c); err != nil {
			return nil, fmt.Errorf("comments: %w", err)
		}
		all = append(all, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("comments: %w", err)
	}
	// Replies come after their parents (ids grow), so each parent is in
	// place by the time its replies are read.
	where := map[int64]int{} // comment id -> index in out[version]
	for _, c := range all {
		if c.ParentID == 0 {
			where[c.ID] = len(out[c.VersionID])
			out[c.VersionID] = append(out[c.VersionID], c)
			continue
		}
		if i, ok := where[c.ParentID]; ok {
			thread := out[c.VersionID]
			thread[i].Replies = append(thread[i].Replies, c)
		}
	}
	return out, nil
}

// CommentCountsOf counts the comments on every version of a term, by
// version id. Versions without comments are left out.
func (s *Store) CommentCountsOf(ctx context.Context, termID int64) (map[int64]model.CommentCounts, error) {
	rows, err := s.r.QueryContext(ctx, `
		SELECT c.version_id, c.kind, count(*) FROM comments c JOIN versions v ON v.id = c.version_id
		WHERE v.term_id = ? AND c.hidden_at IS NULL GROUP BY c.version_id, c.kind`, termID)
	if err != nil {
		return nil, fmt.Errorf("count comments on term %d: %w", termID, err)
	}
	defer rows.Close()
	out := map[int64]model.CommentCounts{}
	for rows.Next() {
		var (
			id   int64
			kind model.CommentKind
			n    int
		)
		if err := rows.Scan(&id, &kind, &n); err != nil {
			return nil, fmt.Errorf("count comments on term %d: %w", termID, err)
		}
		cc := out[id]
		cc.Add(kind, n)
		out[id] = cc
	}
	return out, rows.Err()
}

// HideComment hides a comment with a reason that readers see instead of
// it. The comment stays in the database. Only facilitators hide comments,
// and a hidden comment stays hidden as it was.
func (s *Store) HideComment(ctx context.Context, id int64, by *model.User, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := model.CheckReason(reason, true); err != nil {
		return err
	}
	if by == nil || by.Role != model.Facilitator {
		return model.Invalid("", "invalid.comment.hide_facilitators_only")
	}
	err := s.tx(ctx, func(tx *txn) error {
		var hidden bool
		err := tx.QueryRowContext(ctx, `SELECT hidden_at IS NOT NULL FROM comments WHERE id = ?`, id).Scan(&hidden)
		if errors.Is(err, sql.ErrNoRows) {
			return model.NotFound(model.ThingComment, id)
		}
		if err != nil {
			return err
		}
		if hidden {
			return model.ErrAlreadyHidden
		}
		_, err = tx.ExecContext(ctx, `UPDATE comments SET hidden_at = ?, hidden_by = ?, hidden_reason = ? WHERE id = ?`,
			s.nowUTC(), by.ID, reason, id)
		return err
	})
	var ve *model.ValidationError
	if err != nil && !errors.As(err, &ve) && !errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("hide comment %d: %w", id, err)
	}
	return err
}

// ReportComment records that a person thinks a comment needs a
// facilitator's look; the reason may be empty. One report per person per
// comment: a second is ErrDuplicate.
func (s *Store) ReportComment(ctx context.Context, id int64, by *model.User, reason string) error {
	reason = strings.TrimSpace(reason)
	if err := model.CheckReason(reason, false); err != nil {
		return err
	}
	if by == nil {
		return model.Invalid("", "invalid.comment.report_sign_in")
	}
	// No page that is kept shows reports (the reports page is read fresh),
	// so a report leaves the page generation alone.
	err := s.write(ctx, false, func(tx *txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO comment_reports (comment_id, user_id, reason, created_at) VALUES (?, ?, ?, ?)`,
			id, by.ID, reason, s.nowUTC())
		return err
	})
	switch {
	case err == nil:
		return nil
	case isUnique(err), isPrimaryKey(err):
		return fmt.Errorf("report of comment %d: %w", id, model.ErrDuplicate)
	case isForeignKey(err):
		return model.NotFound(model.ThingComment, id)
	}
	return fmt.Errorf("report comment %d: %w", id, err)
}

// ReportedComments lists the comments people have reported and no
// facilitator has hidden yet, the most recently reported first.
func (s *Store) ReportedComments(ctx context.Context) ([]model.ReportedComment, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+commentColumns+`, u.name, u.role, r.reason, r.created_at`+commentFrom+`
		JOIN comment_reports r ON r.comment_id = c.id JOIN users u ON u.id = r.user_id
		WHERE c.hidden_at IS NULL
		ORDER BY (SELECT max(created_at) FROM comment_reports WHERE comment_id = c.id) DESC, c.id, r.created_at`)
	if err != nil {
		return nil, fmt.Errorf("reported comments: %w", err)
	}
	defer rows.Close()
	var out []model.ReportedComment
	for rows.Next() {
		var (
			c model.Comment
			r model.Report
		)
		more := scanMore{rows, []any{&r.UserName, &r.UserRole, &r.Reason, &r.CreatedAt}}
		if err := scanComment(more, &c); err != nil {
			return nil, fmt.Errorf("reported comments: %w", err)
		}
		if n := len(out); n > 0 && out[n-1].ID == c.ID {
			out[n-1].Reports = append(out[n-1].Reports, r)
			continue
		}
		out = append(out, model.ReportedComment{Comment: c, Reports: []model.Report{r}})
	}
	return out, rows.Err()
}
