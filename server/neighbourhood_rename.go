package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// neighbourhoodRename changes a neighbourhood's name. Its slug stays: the
// addresses of its pages and the published results name it by the slug.
func (s *Server) neighbourhoodRename(c echo.Context) error {
	n, err := s.neighbourhoodParam(c)
	if err != nil {
		return err
	}
	f := nameForm{Name: c.FormValue("name")}
	renamed, err := s.store.RenameNeighbourhood(c.Request().Context(), n.ID, f.Name)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		f.Error = &formError{Prefix: "nb-", Field: "name", Message: problem(c, ve)}
		return s.renderNeighbourhood(c, http.StatusUnprocessableEntity, neighbourhoodView{Neighbourhood: n, Rename: f})
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "admin.renamed", "Old", n.Name, "New", renamed.Name))
	return redirect(c, neighbourhoodPath(renamed))
}
