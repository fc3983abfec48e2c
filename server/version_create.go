package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// versionCreate stores a proposed or amended version.
func (s *Server) versionCreate(c echo.Context) error {
	md := c.FormValue("markdown")
	t, parent, err := s.proposeTarget(c, c.FormValue("parent_id"))
	if err != nil {
		return err
	}
	if parent != nil && parent.Translation() {
		return badRequest(tr(c, "translations.error.english_amends_translation"))
	}
	if c.FormValue("check") != "" {
		// "Check wording": show the form again with the check, saving nothing.
		v := proposeView{page: s.newPage(c, proposeTitle(c, t, parent)), Term: t, Parent: parent, Markdown: md}
		return s.renderCheck(c, "version_propose", &v.Error, &v.Check, md, &v)
	}
	nv := model.NewVersion{Markdown: md, Author: currentUser(c)}
	if parent != nil {
		nv.ParentID = parent.ID
	}
	v, err := s.store.CreateVersion(c.Request().Context(), t.ID, nv)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return s.render(c, http.StatusUnprocessableEntity, "version_propose", proposeView{
			page:     s.newPage(c, proposeTitle(c, t, parent)),
			Term:     t,
			Parent:   parent,
			Markdown: md,
			Error:    &formError{Field: ve.Field, Message: problem(c, ve)},
		})
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "propose.saved", "Version", strconv.FormatInt(v.ID, 10)))
	return redirect(c, "/versions/"+strconv.FormatInt(v.ID, 10))
}
