package server

import (
	"github.com/labstack/echo/v4"
)

// personErase erases a resident: name and account gone, ballots still
// counted, comments kept under "A former resident". The form on the
// confirmation page (erasureNew) sends confirm=yes; nothing else erases.
func (s *Server) personErase(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return badRequest(tr(c, "admin.person.erase_use_button"))
	}
	if _, err := s.store.EraseResident(c.Request().Context(), u.ID); err != nil {
		return s.personFailed(c, u, err)
	}
	s.flash(c, tr(c, "admin.person.erased", "Name", u.Name))
	return redirect(c, "/admin/people")
}
