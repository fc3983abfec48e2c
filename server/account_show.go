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
	// Votes are a resident's ballots, with their receipts, latest first.
	Votes []model.MyBallot
}

// accountShow is everyone's own account: their name and their password,
// and for a resident the votes she took part in, with her receipts.
func (s *Server) accountShow(c echo.Context) error {
	u := currentUser(c)
	return s.renderAccount(c, http.StatusOK, nameForm{Name: u.Name}, nil)
}

func (s *Server) renderAccount(c echo.Context, status int, name nameForm, pw *formError) error {
	v := accountView{
		page:     s.newPage(c, tr(c, "nav.account")),
		Me:       *currentUser(c),
		Name:     name,
		Password: pw,
	}
	if v.Me.Role == model.Resident {
		var err error
		if v.Votes, err = s.store.MyBallots(c.Request().Context(), v.Me.ID); err != nil {
			return err
		}
	}
	return s.render(c, status, "account_show", v)
}
