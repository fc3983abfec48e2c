package server

import (
	"errors"
	"net/http"
	"strconv"

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
		return invalid(tr(c, "admin.invites.choose_reprint"))
	}
	codes, expires, err := s.store.ReprintInvites(c.Request().Context(), n.ID, batch)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return invalid(problem(c, ve))
	}
	if err != nil {
		return err
	}
	return s.renderInvites(c, n, codes, expires)
}
