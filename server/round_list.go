package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type roundListView struct {
	page
	Open   []model.Round
	Closed []model.Round
	// For a signed-in resident: the rounds she has a ballot in, and her
	// neighbourhood, to say for each round whether she voted or may vote.
	Resident      bool
	Voted         map[int64]bool
	Neighbourhood int64
}

// roundList lists open rounds first, then closed and cancelled ones; to a
// signed-in resident it says in which she voted and which are for her.
func (s *Server) roundList(c echo.Context) error {
	ctx := c.Request().Context()
	rounds, err := s.store.Rounds(ctx, 0)
	if err != nil {
		return err
	}
	v := roundListView{page: s.newPage(c, tr(c, "voting.list.title"))}
	v.Feeds = []feedLink{{Title: tr(c, "voting.list.feed_title"), Href: "/rounds.atom"}}
	if u := currentUser(c); u != nil && u.Role == model.Resident {
		mine, err := s.store.MyBallots(ctx, u.ID)
		if err != nil {
			return err
		}
		v.Resident, v.Neighbourhood, v.Voted = true, u.NeighbourhoodID, make(map[int64]bool, len(mine))
		for _, b := range mine {
			v.Voted[b.Round.ID] = true
		}
	}
	for _, r := range rounds {
		if r.Open() {
			v.Open = append(v.Open, r)
		} else {
			v.Closed = append(v.Closed, r)
		}
	}
	return s.render(c, http.StatusOK, "round_list", v)
}
