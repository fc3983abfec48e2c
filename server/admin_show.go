package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// orgForm and userForm keep what was typed into the admin forms.
type orgForm struct {
	Name   string
	Sector string
	Error  *formError
}

type userForm struct {
	Email          string
	Name           string
	Role           string
	OrganisationID int64
	Error          *formError
}

type adminView struct {
	page
	Organisations []model.Organisation
	Users         []model.User
	OrgForm       orgForm
	UserForm      userForm
	Reported      int // comments reported and not yet hidden
}

// adminShow is the facilitators' page: organisations and accounts.
func (s *Server) adminShow(c echo.Context) error {
	return s.renderAdmin(c, http.StatusOK, orgForm{}, userForm{Role: string(model.Partner)})
}

func (s *Server) renderAdmin(c echo.Context, status int, of orgForm, uf userForm) error {
	ctx := c.Request().Context()
	orgs, err := s.store.Organisations(ctx)
	if err != nil {
		return err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	reported, err := s.store.ReportedComments(ctx)
	if err != nil {
		return err
	}
	return s.render(c, status, "admin_show", adminView{
		page:          s.newPage(c, tr(c, "admin.title")),
		Organisations: orgs,
		Users:         users,
		OrgForm:       of,
		UserForm:      uf,
		Reported:      len(reported),
	})
}
