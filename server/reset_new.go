package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

type resetView struct {
	page
	Login string
	Code  string
	// Welcome is the page for a resident registered at an event, who
	// chooses her first password with the code on her slip.
	Welcome bool
	Error   *formError
}

// resetNew is where a person who forgot their password types the reset
// code a facilitator gave them, and chooses a new password. The sign-in
// name and the code may come filled in, from ?login= and ?code=.
func (s *Server) resetNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "reset_new", resetView{
		page:  s.newPage(c, tr(c, "reset.title")),
		Login: strings.TrimSpace(c.QueryParam("login")),
		Code:  strings.TrimSpace(c.QueryParam("code")),
	})
}
