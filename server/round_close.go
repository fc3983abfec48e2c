package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
)

// roundClose closes a round early, or counts one whose time is up: the
// count, the result and the agreed wording are settled at once.
func (s *Server) roundClose(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	if r.Results != nil {
		return echo.NewHTTPError(http.StatusConflict, tr(c, "voting.close.already"))
	}
	r, err = s.store.CloseRound(c.Request().Context(), r.ID)
	if err := changeRefused(c, err); err != nil {
		return err // cancelled
	}
	if err != nil {
		return err
	}
	said := tr(c, "voting.close.done") + " " + outcomeWords(i18n.For(langOf(c)), r)
	if r.Results != nil {
		// Paper sheets entered but never matched did not count: say so
		// to the facilitator who closed the vote.
		if _, unmatched := channelWords(i18n.For(langOf(c)), r.Results.Channels); unmatched != "" {
			said += " " + unmatched
		}
	}
	s.flash(c, said)
	return redirect(c, "/rounds/"+strconv.FormatInt(r.ID, 10)+"/results")
}
