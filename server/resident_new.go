package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

type joinView struct {
	page
	Code  string
	Name  string
	Error *formError
}

// residentNew is where a resident turns an invite code into an account.
func (s *Server) residentNew(c echo.Context) error {
	if currentUser(c) != nil {
		return redirect(c, "/")
	}
	return s.render(c, http.StatusOK, "resident_new", joinView{
		page: s.newPage(c, tr(c, "join.title")),
		Code: strings.TrimSpace(c.QueryParam("code")),
	})
}
