package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// commentForm is a comment, reply, report or hide form that came back with
// an error, with what was typed in it. Prefix tells the forms of one page
// apart, and starts the ids of their fields: "comment-" is the form for a
// new comment, "reply-12-" the reply form of comment 12, "report-12-" and
// "hide-12-" the forms to report and hide it.
type commentForm struct {
	Prefix string
	Kind   string
	Body   string
	Reason string
	Error  *formError
}

// commentForms remembers the one form of a page that was sent back.
type commentForms struct{ sent commentForm }

// Form is the form called prefix: as it was sent, if it came back with an
// error, or empty.
func (f commentForms) Form(prefix string) commentForm {
	if f.sent.Prefix == prefix {
		return f.sent
	}
	return commentForm{Prefix: prefix}
}

// commentCreate posts a comment on a version, or a reply to a comment on
// it (parent_id). A reply to a reply joins the thread it is in: threads are
// one level deep.
func (s *Server) commentCreate(c echo.Context) error {
	id, err := paramID(c, model.ThingVersion)
	if err != nil {
		return err
	}
	v, err := s.versionView(c, id)
	if err != nil {
		return err
	}
	f := commentForm{Prefix: "comment-", Kind: c.FormValue("kind"), Body: c.FormValue("body")}
	nc := model.NewComment{
		VersionID: v.Version.ID,
		Kind:      model.CommentKind(f.Kind),
		Markdown:  f.Body,
		Author:    currentUser(c),
	}
	again := func(status int, field, msg string) error {
		f.Error = &formError{Prefix: f.Prefix, Field: field, Message: msg}
		v.sent = f
		return s.render(c, status, "version_show", v)
	}
	if raw := c.FormValue("parent_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		root := threadOf(v.Threads, id)
		if err != nil || root == 0 {
			return again(http.StatusUnprocessableEntity, "", tr(c, "comment.parent_missing"))
		}
		nc.ParentID = id
		f.Prefix = fmt.Sprintf("reply-%d-", root)
	}
	cm, err := s.store.CreateComment(c.Request().Context(), nc, s.commentsPerMinute)
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve) && ve.Field == "parent_id":
		return again(http.StatusUnprocessableEntity, "", problem(c, ve)) // no field of that name on the page
	case errors.As(err, &ve):
		return again(http.StatusUnprocessableEntity, ve.Field, problem(c, ve))
	case errors.Is(err, model.ErrTooManyComments):
		c.Response().Header().Set("Retry-After", "60")
		return again(http.StatusTooManyRequests, "", tr(c, "comment.too_many", "Count", s.commentsPerMinute))
	case err != nil:
		return err
	}
	s.flash(c, tr(c, "comment.posted"))
	return redirect(c, commentLink(cm))
}

// threadOf is the id of the comment that starts the thread holding comment
// id, or 0 if no thread holds it.
func threadOf(threads []model.Comment, id int64) int64 {
	for _, t := range threads {
		if t.ID == id {
			return t.ID
		}
		for _, r := range t.Replies {
			if r.ID == id {
				return t.ID
			}
		}
	}
	return 0
}

// countComments counts the comments of threads that are not hidden, by
// kind. Threads are one level deep: a comment and its replies.
func countComments(threads []model.Comment) model.CommentCounts {
	var n model.CommentCounts
	for _, top := range threads {
		for _, c := range append([]model.Comment{top}, top.Replies...) {
			if !c.Hidden {
				n.Add(c.Kind, 1)
			}
		}
	}
	return n
}

// commentItem is a comment with what the viewer may do to it, for the
// templates that show its forms.
type commentItem struct {
	model.Comment
	CSRF    string
	CanAct  bool   // signed in, so may report it
	CanHide bool   // a facilitator
	Back    string // "reports" when the hide form is on the reports page
	Open    bool   // show the hide form open
	Report  commentForm
	Hide    commentForm
}

func (f commentForms) item(p page, c model.Comment) commentItem {
	return commentItem{
		Comment: c,
		CSRF:    p.CSRF,
		CanAct:  p.User != nil,
		CanHide: p.IsFacilitator(),
		Report:  f.Form(fmt.Sprintf("report-%d-", c.ID)),
		Hide:    f.Form(fmt.Sprintf("hide-%d-", c.ID)),
	}
}

// Item is comment c with the viewer's forms for it.
func (v versionView) Item(c model.Comment) commentItem { return v.item(v.page, c) }

// CommentCounts says how many comments of each kind the version has, or
// nothing if none is shown.
func (v versionView) CommentCounts() string {
	n := countComments(v.Threads)
	if n.Total() == 0 {
		return ""
	}
	return commentCounts(i18n.For(v.Lang), n)
}
