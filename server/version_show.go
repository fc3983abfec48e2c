package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/plain"
	"wordgarden/server/store"
)

type versionView struct {
	page
	Version store.Version
	Term    store.Term
	Parent  *store.Version
	Check   *plain.Report
}

// versionShow is one version's page.
func (s *Server) versionShow(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return notFound("There is no version with that number.")
	}
	v, err := s.store.Version(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("There is no version with that number.")
	}
	if err != nil {
		return err
	}
	t, err := s.store.Term(ctx, v.TermSlug)
	if err != nil {
		return err
	}
	view := versionView{page: s.newPage(c, t.Title+": version "+strconv.FormatInt(v.ID, 10)), Version: v, Term: t}
	if v.ParentID != 0 {
		p, err := s.store.Version(ctx, v.ParentID)
		if err != nil {
			return err
		}
		view.Parent = &p
	}
	if view.Check, err = s.checkVersion(ctx, v); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "version", view)
}
