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
}

// roundList lists open rounds first, then closed ones.
func (s *Server) roundList(c echo.Context) error {
	ctx := c.Request().Context()
	rounds, err := s.store.Rounds(ctx, 0)
	if err != nil {
		return err
	}
	v := roundListView{page: s.newPage(c, tr(c, "voting.list.title"))}
	v.Feeds = []feedLink{{Title: tr(c, "voting.list.feed_title"), Href: "/rounds.atom"}}
	for _, r := range rounds {
		if r.Open() {
			v.Open = append(v.Open, r)
		} else {
			v.Closed = append(v.Closed, r)
		}
	}
	return s.render(c, http.StatusOK, "round_list", v)
}
