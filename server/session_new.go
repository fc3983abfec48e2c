package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type loginView struct {
	page
	Email string
	Next  string
	Error string
}

// sessionNew is the sign-in page.
func (s *Server) sessionNew(c echo.Context) error {
	if currentUser(c) != nil {
		return redirect(c, localPath(c.QueryParam("next")))
	}
	return s.render(c, http.StatusOK, "session_new", loginView{
		page: s.newPage(c, tr(c, "signin.title")),
		Next: localPath(c.QueryParam("next")),
	})
}
