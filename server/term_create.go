package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// termCreate starts a term with its first version.
func (s *Server) termCreate(c echo.Context) error {
	title, md := c.FormValue("title"), c.FormValue("markdown")
	if c.FormValue("check") != "" {
		v := termFormView{page: s.newPage(c, tr(c, "nav.start_term")), Term: title, Markdown: md}
		return s.renderCheck(c, "term_new", &v.Error, &v.Check, md, &v)
	}
	nv := model.NewVersion{Markdown: md, Author: currentUser(c)}
	t, _, err := s.store.CreateTerm(c.Request().Context(), title, nv)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return s.render(c, http.StatusUnprocessableEntity, "term_new", termFormView{
			page:     s.newPage(c, tr(c, "nav.start_term")),
			Term:     title,
			Markdown: md,
			Error:    &formError{Field: ve.Field, Message: problem(c, ve)},
		})
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "write.started", "Term", t.Title))
	return redirect(c, "/terms/"+t.Slug)
}
