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
		return badRequest("To erase an account, use the button on its erase page, which says what erasing does.")
	}
	if _, err := s.store.EraseResident(c.Request().Context(), u.ID); err != nil {
		return s.personFailed(c, u, err)
	}
	s.flash(c, u.Name+"’s account is erased. Their ballots still count, and their comments now read “A former resident”.")
	return redirect(c, "/admin/people")
}
