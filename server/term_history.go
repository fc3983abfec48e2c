package server

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type historyView struct {
	page
	Term     model.Term
	Versions []model.Version // newest first
}

// termHistory lists every version of a term, newest first, with a form to
// compare any two.
func (s *Server) termHistory(c echo.Context) error {
	t, versions, err := s.termAndVersions(c)
	if err != nil {
		return err
	}
	slices.Reverse(versions)
	return s.render(c, http.StatusOK, "term_history", historyView{
		page:     s.newPage(c, tr(c, "history.title", "Term", t.Title)),
		Term:     t,
		Versions: versions,
	})
}

// termAndVersions loads the term named in the path and its versions, oldest
// first; a missing term is a 404.
func (s *Server) termAndVersions(c echo.Context) (model.Term, []model.Version, error) {
	ctx := c.Request().Context()
	t, err := s.store.Term(ctx, c.Param("slug"))
	if err != nil {
		return model.Term{}, nil, err
	}
	versions, err := s.store.Versions(ctx, t.ID)
	return t, versions, err
}
