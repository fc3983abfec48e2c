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
		return badRequest(tr(c, "search_page.too_long"))
	}
	if !utf8.ValidString(q) {
		return badRequest(tr(c, "search_page.unreadable"))
	}
	v := searchView{page: s.newPage(c, tr(c, "search_page.title"))}
	v.Query = q
	if q != "" {
		v.Title = tr(c, "search_page.title_query", "Query", q)
		hits, err := s.store.Search(c.Request().Context(), q, 50)
		if err != nil {
			return err
		}
		v.Hits, v.Searched = hits, true
	}
	return s.render(c, http.StatusOK, "term_search", v)
}
