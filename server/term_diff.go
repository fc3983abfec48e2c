package server

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/worddiff"
)

type diffView struct {
	page
	Term     model.Term
	From, To model.Version
	Segments []worddiff.Segment
	Added    int
	Removed  int
}

// termDiff shows, word by word, what changed between two versions of a term.
func (s *Server) termDiff(c echo.Context) error {
	t, versions, err := s.termAndVersions(c)
	if err != nil {
		return err
	}
	// An amended translation is compared with the one it amends.
	trs, err := s.store.Translations(c.Request().Context(), t.ID)
	if err != nil {
		return err
	}
	versions = append(versions, trs...)
	from, err := versionParam(c, "from", versions)
	if err != nil {
		return err
	}
	to, err := versionParam(c, "to", versions)
	if err != nil {
		return err
	}
	segs := worddiff.Diff(from.Markdown, to.Markdown)
	added, removed := worddiff.Stats(segs)
	return s.render(c, http.StatusOK, "term_diff", diffView{
		page:     s.newPage(c, tr(c, "diff.title", "Term", t.Title)),
		Term:     t,
		From:     from,
		To:       to,
		Segments: segs,
		Added:    added,
		Removed:  removed,
	})
}

// versionParam reads a version id from the query string and finds it among
// the term's versions.
func versionParam(c echo.Context, name string, versions []model.Version) (model.Version, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return model.Version{}, badRequest(tr(c, "diff.missing", "Name", name))
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return model.Version{}, badRequest(tr(c, "diff.not_number", "Name", name))
	}
	for _, v := range versions {
		if v.ID == id {
			return v, nil
		}
	}
	return model.Version{}, badRequest(tr(c, "diff.not_of_term", "ID", raw))
}
