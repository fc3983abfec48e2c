package server

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// maxQueryLen bounds what the search box takes, in bytes.
const maxQueryLen = 200

type searchView struct {
	page
	Hits     []model.SearchHit
	Searched bool
}

// termSearch finds terms by title and wording.
func (s *Server) termSearch(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if len(q) > maxQueryLen {
		return badRequest("That search is too long. Try a few words.")
	}
	if !utf8.ValidString(q) {
		return badRequest("That search has characters that could not be read. Type it again.")
	}
	v := searchView{page: s.newPage(c, "Search")}
	v.Query = q
	if q != "" {
		v.Title = "Search: " + q
		hits, err := s.store.Search(c.Request().Context(), q, 50)
		if err != nil {
			return err
		}
		v.Hits, v.Searched = hits, true
	}
	return s.render(c, http.StatusOK, "term_search", v)
}
