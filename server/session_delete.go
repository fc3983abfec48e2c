package server

import (
	"github.com/labstack/echo/v4"
)

// sessionDelete signs out.
func (s *Server) sessionDelete(c echo.Context) error {
	if err := s.signOut(c); err != nil {
		return err
	}
	return redirect(c, "/")
}
