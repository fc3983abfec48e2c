package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type closureView struct {
	page
	Round model.Round
}

// closureNew asks a facilitator to confirm closing a round now, saying how
// many ballots it has and when it was due to close. The form posts to
// roundClose. A round already counted or cancelled has nothing to close:
// its results page says so.
func (s *Server) closureNew(c echo.Context) error {
	r, err := s.loadRound(c)
	if err != nil {
		return err
	}
	if r.Results != nil || r.Cancelled != nil {
		return c.Redirect(http.StatusSeeOther, "/rounds/"+strconv.FormatInt(r.ID, 10)+"/results")
	}
	return s.render(c, http.StatusOK, "closure_new", closureView{
		page:  s.newPage(c, tr(c, "votes.close.title", "Term", r.TermTitle)),
		Round: r,
	})
}
