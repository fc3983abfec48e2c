package server

import (
	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// personSignOut ends every session of a person at once, say after they
// lost a phone that was signed in.
func (s *Server) personSignOut(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	if u.ID == currentUser(c).ID {
		// It would sign the facilitator out in the middle of what they do.
		return s.personFailed(c, u, &model.ValidationError{
			ID:      "admin.person.signout_self",
			Message: "To sign yourself out everywhere else, change your password on your account page: that ends your other sessions.",
		})
	}
	n, err := s.store.EndSessions(c.Request().Context(), u.ID)
	if err != nil {
		return s.personFailed(c, u, err)
	}
	s.flash(c, tr(c, "admin.person.signed_out", "Name", u.Name, "Count", n))
	return redirect(c, personPath(u))
}
