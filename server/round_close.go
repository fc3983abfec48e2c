package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// roundClose closes a round early, or counts one whose time is up: the
// count, the result and the agreed wording are settled at once.
func (s *Server) roundClose(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	if r.Results != nil {
		return echo.NewHTTPError(http.StatusConflict, "This vote has already closed.")
	}
	r, err = s.store.CloseRound(c.Request().Context(), r.ID)
	if err != nil {
		return err
	}
	s.flash(c, "The vote is closed. "+r.Results.Reason)
	return redirect(c, "/rounds/"+strconv.FormatInt(r.ID, 10)+"/results")
}
