package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/plain"
	"wordgarden/server/store"
)

type termFormView struct {
	page
	Title    string
	Markdown string
	Error    *formError
	Check    *plain.Report // after "Check wording"
}

// termNew is the form to start a term. ?title= fills in the title, for
// links to terms that do not exist yet.
func (s *Server) termNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "term_new", termFormView{
		page:  s.newPage(c, "Start a term"),
		Title: strings.TrimSpace(c.QueryParam("title")),
	})
}

// termCreate starts a term with its first version.
func (s *Server) termCreate(c echo.Context) error {
	title, md := c.FormValue("title"), c.FormValue("markdown")
	if c.FormValue("check") != "" {
		v := termFormView{page: s.newPage(c, "Start a term"), Title: title, Markdown: md}
		return s.renderCheck(c, "term_new", &v.Error, &v.Check, md, &v)
	}
	nv := store.NewVersion{Markdown: md, Author: currentUser(c)}
	t, _, err := s.store.CreateTerm(c.Request().Context(), title, nv)
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		return s.render(c, http.StatusUnprocessableEntity, "term_new", termFormView{
			page:     s.newPage(c, "Start a term"),
			Title:    title,
			Markdown: md,
			Error:    &formError{Field: ve.Field, Message: ve.Message},
		})
	}
	if err != nil {
		return err
	}
	s.flash(c, "“"+t.Title+"” is started. Other partners can now propose their own wording or amend yours.")
	return redirect(c, "/terms/"+t.Slug)
}
