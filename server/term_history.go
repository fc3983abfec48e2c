package server

import (
	"errors"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"wordgarden/server/store"
)

type historyView struct {
	page
	Term     store.Term
	Versions []store.Version // newest first
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
		page:     s.newPage(c, "History of "+t.Title),
		Term:     t,
		Versions: versions,
	})
}

// termAndVersions loads the term named in the path and its versions, oldest
// first; a missing term is a 404.
func (s *Server) termAndVersions(c echo.Context) (store.Term, []store.Version, error) {
	ctx := c.Request().Context()
	t, err := s.store.Term(ctx, c.Param("slug"))
	if err != nil {
		return store.Term{}, nil, termNotFound(err)
	}
	versions, err := s.store.Versions(ctx, t.ID)
	return t, versions, err
}

// termNotFound turns the store's ErrNotFound into a 404 page.
func termNotFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return notFound("There is no term here. Search the glossary, or start the term if you are a partner.")
	}
	return err
}
