package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type organisationView struct {
	page
	Organisation model.Organisation
	Partners     []model.User
	Rename       nameForm // Prefix "org-"
}

// organisationShow is a facilitator's page about an organisation: its
// partners, and a form to rename it.
func (s *Server) organisationShow(c echo.Context) error {
	o, err := s.organisationParam(c)
	if err != nil {
		return err
	}
	return s.renderOrganisation(c, http.StatusOK, o, nameForm{Name: o.Name})
}

func (s *Server) renderOrganisation(c echo.Context, status int, o model.Organisation, f nameForm) error {
	users, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	var partners []model.User
	for _, u := range users {
		if u.OrganisationID == o.ID {
			partners = append(partners, u)
		}
	}
	return s.render(c, status, "organisation_show", organisationView{
		page:         s.newPage(c, o.Name),
		Organisation: o,
		Partners:     partners,
		Rename:       f,
	})
}

// organisationParam reads the organisation the route's :id names.
func (s *Server) organisationParam(c echo.Context) (model.Organisation, error) {
	id, err := paramID(c, model.ThingOrganisation)
	if err == nil {
		var o model.Organisation
		if o, err = s.store.Organisation(c.Request().Context(), id); err == nil {
			return o, nil
		}
	}
	if errors.Is(err, model.ErrNotFound) {
		return model.Organisation{}, notFound(tr(c, "admin.org.missing"))
	}
	return model.Organisation{}, err
}
