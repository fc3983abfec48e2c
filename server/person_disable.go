package server

import (
	"github.com/labstack/echo/v4"
)

// personDisable switches an account off: it cannot sign in, and whoever is
// signed in with it is signed out at once.
func (s *Server) personDisable(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	if _, err := s.store.DisableUser(c.Request().Context(), u.ID, currentUser(c).ID); err != nil {
		return s.personFailed(c, u, err)
	}
	s.flash(c, tr(c, "admin.person.switched_off", "Name", u.Name))
	return redirect(c, personPath(u))
}
