package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// neighbourhoodCreate adds a neighbourhood.
func (s *Server) neighbourhoodCreate(c echo.Context) error {
	name := c.FormValue("name")
	n, err := s.store.CreateNeighbourhood(c.Request().Context(), name)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		return s.renderNeighbourhoods(c, http.StatusUnprocessableEntity, neighbourhoodsView{
			Name:   name,
			Invite: inviteForm{Count: "20"},
			Error:  &formError{Prefix: "nb-", Field: ve.Field, Message: problem(c, ve)},
		})
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "admin.neighbourhoods.added", "Name", n.Name))
	return redirect(c, "/admin/neighbourhoods")
}
