package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// userCreate makes a partner or facilitator account. Residents join with an
// invite code instead.
func (s *Server) userCreate(c echo.Context) error {
	f := userForm{
		Email: c.FormValue("email"),
		Name:  c.FormValue("name"),
		Role:  c.FormValue("role"),
	}
	invalid := func(field, msg string) error {
		f.Error = &formError{Prefix: "user-", Field: field, Message: msg}
		return s.renderAdmin(c, http.StatusUnprocessableEntity, orgForm{}, f)
	}
	if raw := c.FormValue("organisation_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return invalid("organisation", tr(c, "admin.users.choose_organisation"))
		}
		f.OrganisationID = id
	}
	role := model.Role(f.Role)
	if role != model.Partner && role != model.Facilitator {
		return invalid("role", tr(c, "admin.users.choose_role"))
	}
	if role == model.Facilitator {
		f.OrganisationID = 0 // the list may still have one chosen; facilitators belong to none
	}
	if f.OrganisationID != 0 {
		if _, err := s.store.Organisation(c.Request().Context(), f.OrganisationID); err != nil {
			return invalid("organisation", tr(c, "admin.users.choose_organisation"))
		}
	}
	u, err := s.store.CreateUser(c.Request().Context(), model.NewUser{
		Email:          f.Email,
		Name:           f.Name,
		Role:           role,
		OrganisationID: f.OrganisationID,
		Password:       c.FormValue("password"),
	})
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Field, problem(c, ve))
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "admin.users.made", "Name", u.Name))
	return redirect(c, "/admin")
}
