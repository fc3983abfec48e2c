package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type resetView struct {
	page
	Login string
	Error *formError
}

// resetNew is where a person who forgot their password types the reset
// code a facilitator gave them, and chooses a new password.
func (s *Server) resetNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "reset_new", resetView{page: s.newPage(c, tr(c, "reset.title"))})
}
