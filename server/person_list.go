package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// peopleShown is the most accounts the people page lists at once; a search
// narrows the list.
const peopleShown = 200

type peopleView struct {
	page
	People []model.User
	Total  int // how many matched
	Search string
}

// personList lists the accounts, or those whose name or email holds what
// was searched for, with links to manage each.
func (s *Server) personList(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if len(q) > 200 {
		return badRequest(tr(c, "admin.people.too_long"))
	}
	people, total, err := s.store.People(c.Request().Context(), q, peopleShown)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "person_list", peopleView{
		page:   s.newPage(c, tr(c, "admin.people.title")),
		People: people,
		Total:  total,
		Search: q,
	})
}
