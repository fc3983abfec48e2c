package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// welcomeNew is where a resident registered at an event, alone or with a
// helper, types her name and the code from her sign-in slip and chooses
// her first password. It is the reset form in other words: the slip's QR
// code opens it with the name and code filled in, and it posts to /reset.
func (s *Server) welcomeNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "reset_new", resetView{
		page:    s.newPage(c, tr(c, "welcome.title")),
		Login:   strings.TrimSpace(c.QueryParam("login")),
		Code:    strings.TrimSpace(c.QueryParam("code")),
		Welcome: true,
	})
}
