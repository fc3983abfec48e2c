package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type erasureView struct {
	page
	Person   model.User
	Erasable bool   // residents only
	Former   string // what their comments will read, model.FormerResident in the reader's language
}

// erasureNew asks a facilitator to confirm erasing a resident, and says
// what will happen.
func (s *Server) erasureNew(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "erasure_new", erasureView{
		page:     s.newPage(c, tr(c, "erasure.title", "Name", u.Name)),
		Person:   u,
		Erasable: u.Role == model.Resident,
		Former:   tr(c, "comment.former_resident"),
	})
}
