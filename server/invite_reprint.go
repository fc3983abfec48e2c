package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// inviteReprint replaces the unused codes of a print run with as many new
// ones and shows them, once, to print. Only hashes of codes are kept, so
// the old codes cannot be shown again; they stop working instead.
func (s *Server) inviteReprint(c echo.Context) error {
	n, err := s.neighbourhoodParam(c)
	if err != nil {
		return err
	}
	invalid := func(msg string) error {
		return s.renderNeighbourhood(c, http.StatusUnprocessableEntity, neighbourhoodView{
			Neighbourhood: n, Rename: nameForm{Name: n.Name},
			Error: &formError{Prefix: "inv-", Message: msg},
		})
	}
	batch, err := strconv.ParseInt(c.FormValue("batch"), 10, 64)
	if err != nil || batch <= 0 {
		return invalid("Choose the codes to reprint from the list.")
	}
	codes, expires, err := s.store.ReprintInvites(c.Request().Context(), n.ID, batch)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return invalid(ve.Message)
	}
	if err != nil {
		return err
	}
	lastDay := expires // zero: the codes never expire
	if !expires.IsZero() {
		lastDay = expires.Add(-time.Second)
	}
	return s.renderNoStore(c, http.StatusOK, "invite_create", invitesView{
		page:          s.newPage(c, "Invite codes for "+n.Name),
		Neighbourhood: n,
		Codes:         codes,
		Expires:       lastDay,
		SiteURL:       s.siteURL(c),
	})
}
