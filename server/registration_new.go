package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// registrationForm keeps what was typed into the form that registers a
// resident at an event.
type registrationForm struct {
	Name          string
	Neighbourhood string // a slug
}

type registrationView struct {
	page
	Neighbourhoods []model.Neighbourhood
	Form           registrationForm
	Error          *formError // Prefix "reg-"
}

// registrationNew is the form with which a facilitator at an event
// registers a resident who has no phone or email: her name and
// neighbourhood, nothing else. ?neighbourhood=SLUG chooses the
// neighbourhood, as the link from a neighbourhood's page does.
func (s *Server) registrationNew(c echo.Context) error {
	return s.renderRegistration(c, http.StatusOK, registrationView{
		Form: registrationForm{Neighbourhood: c.QueryParam("neighbourhood")},
	})
}

func (s *Server) renderRegistration(c echo.Context, status int, v registrationView) error {
	var err error
	if v.Neighbourhoods, err = s.store.Neighbourhoods(c.Request().Context()); err != nil {
		return err
	}
	v.page = s.newPage(c, tr(c, "admin.register.title"))
	return s.render(c, status, "registration_new", v)
}
