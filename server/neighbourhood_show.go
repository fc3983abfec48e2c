package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type neighbourhoodView struct {
	page
	Neighbourhood model.Neighbourhood
	Batches       []model.InviteBatch
	Rename        nameForm // Prefix "nb-"
	Code          string   // the code typed into the cancel form
	Error         *formError
}

// neighbourhoodShow is a facilitator's page about a neighbourhood: its
// name, and its invite codes not yet used, by print run, to cancel or
// reprint.
func (s *Server) neighbourhoodShow(c echo.Context) error {
	n, err := s.neighbourhoodParam(c)
	if err != nil {
		return err
	}
	return s.renderNeighbourhood(c, http.StatusOK, neighbourhoodView{Neighbourhood: n, Rename: nameForm{Name: n.Name}})
}

func (s *Server) renderNeighbourhood(c echo.Context, status int, v neighbourhoodView) error {
	ctx := c.Request().Context()
	all, err := s.store.Neighbourhoods(ctx)
	if err != nil {
		return err
	}
	for _, n := range all { // with its counts of residents and codes
		if n.ID == v.Neighbourhood.ID {
			v.Neighbourhood = n
		}
	}
	if v.Batches, err = s.store.InviteBatches(ctx, v.Neighbourhood.ID); err != nil {
		return err
	}
	v.page = s.newPage(c, v.Neighbourhood.Name)
	return s.render(c, status, "neighbourhood_show", v)
}

// neighbourhoodParam reads the neighbourhood the route's :slug names.
func (s *Server) neighbourhoodParam(c echo.Context) (model.Neighbourhood, error) {
	n, err := s.store.NeighbourhoodBySlug(c.Request().Context(), c.Param("slug"))
	if errors.Is(err, model.ErrNotFound) {
		return n, notFound(tr(c, "admin.nb.missing"))
	}
	return n, err
}

// neighbourhoodPath is the address of a neighbourhood's page.
func neighbourhoodPath(n model.Neighbourhood) string {
	return "/admin/neighbourhoods/" + n.Slug
}
