package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type neighbourhoodsView struct {
	page
	Neighbourhoods []model.Neighbourhood
	Name           string // the add form's name
	Invite         inviteForm
	Error          *formError
}

type inviteForm struct {
	Neighbourhood string
	Count         string
	Expires       string
}

// neighbourhoodList is where facilitators add neighbourhoods and print invite codes.
func (s *Server) neighbourhoodList(c echo.Context) error {
	return s.renderNeighbourhoods(c, http.StatusOK, neighbourhoodsView{Invite: inviteForm{Count: "20"}})
}

func (s *Server) renderNeighbourhoods(c echo.Context, status int, v neighbourhoodsView) error {
	ns, err := s.store.Neighbourhoods(c.Request().Context())
	if err != nil {
		return err
	}
	v.page = s.newPage(c, tr(c, "admin.neighbourhoods.title"))
	v.Neighbourhoods = ns
	return s.render(c, status, "neighbourhood_list", v)
}
