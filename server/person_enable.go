package server

import (
	"github.com/labstack/echo/v4"
)

// personEnable switches an account back on.
func (s *Server) personEnable(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	if _, err := s.store.EnableUser(c.Request().Context(), u.ID); err != nil {
		return s.personFailed(c, u, err)
	}
	s.flash(c, tr(c, "admin.person.switched_on", "Name", u.Name))
	return redirect(c, personPath(u))
}
