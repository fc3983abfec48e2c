package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type accountView struct {
	page
	Me       model.User
	Name     nameForm   // Prefix "name-"
	Password *formError // Prefix "pw-"
}

// accountShow is everyone's own account: their name and their password.
func (s *Server) accountShow(c echo.Context) error {
	u := currentUser(c)
	return s.renderAccount(c, http.StatusOK, nameForm{Name: u.Name}, nil)
}

func (s *Server) renderAccount(c echo.Context, status int, name nameForm, pw *formError) error {
	return s.render(c, status, "account_show", accountView{
		page:     s.newPage(c, tr(c, "nav.account")),
		Me:       *currentUser(c),
		Name:     name,
		Password: pw,
	})
}
