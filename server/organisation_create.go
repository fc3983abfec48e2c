package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// organisationCreate adds an organisation with its sector.
func (s *Server) organisationCreate(c echo.Context) error {
	f := orgForm{Name: c.FormValue("name"), Sector: c.FormValue("sector")}
	invalid := func(field, msg string) error {
		f.Error = &formError{Prefix: "org-", Field: field, Message: msg}
		return s.renderAdmin(c, http.StatusUnprocessableEntity, f, userForm{Role: string(model.Partner)})
	}
	o, err := s.store.CreateOrganisation(c.Request().Context(), f.Name, model.Sector(f.Sector))
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, problem(c, ve))
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "admin.added", "Name", o.Name))
	return redirect(c, "/admin")
}
