package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// organisationRename changes an organisation's name. Wordings its partners
// wrote keep the name they were written under: that is their provenance.
func (s *Server) organisationRename(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	f := nameForm{Name: c.FormValue("name")}
	renamed, err := s.store.RenameOrganisation(c.Request().Context(), o.ID, f.Name)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		f.Error = &formError{Prefix: "org-", Field: "name", Message: problem(c, ve)}
		return s.renderOrganisation(c, http.StatusUnprocessableEntity, o, f)
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "admin.renamed", "Old", o.Name, "New", renamed.Name))
	return redirect(c, "/admin/organisations/"+strconv.FormatInt(o.ID, 10))
}
