package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type resetCodeView struct {
	page
	Reset model.ResetCode
	// ResetURL is the address of the page to type the code on, for the
	// slip: an address, not words to translate.
	ResetURL string
}

// resetCreate makes a one-time code with which a person chooses a new
// password, and shows it once, as a slip to print or read out: only its
// hash is kept. A new code replaces one not yet used. A resident
// registered at an event who has not chosen a password yet gets a new
// sign-in slip instead.
func (s *Server) resetCreate(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	rc, err := s.store.CreateResetCode(c.Request().Context(), u.ID, currentUser(c).ID)
	if err != nil {
		return s.personFailed(c, u, err)
	}
	if rc.Welcome {
		// She has no password yet, so lost her slip: a new slip.
		return s.renderWelcomeSlip(c, rc, false)
	}
	return s.renderNoStore(c, http.StatusOK, "reset_create", resetCodeView{
		page:     s.newPage(c, tr(c, "slip.title", "Name", u.Name)),
		Reset:    rc,
		ResetURL: s.siteURL(c) + "/reset",
	})
}
