package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/plain"
)

type proposeView struct {
	page
	Term     model.Term
	Parent   *model.Version // the version being amended, if any
	Markdown string
	Error    *formError
	Check    *plain.Report // after "Check wording"
}

// versionPropose is the form to propose a wording of a term, or, with
// ?amend=ID, to amend one: the form starts from that version's text.
func (s *Server) versionPropose(c echo.Context) error {
	if to := s.translationToAmend(c, c.QueryParam("amend")); to != "" {
		return redirect(c, to)
	}
	t, parent, err := s.proposeTarget(c, c.QueryParam("amend"))
	if err != nil {
		return err
	}
	v := proposeView{page: s.newPage(c, proposeTitle(c, t, parent)), Term: t, Parent: parent}
	if parent != nil {
		v.Markdown = parent.Markdown
	}
	return s.render(c, http.StatusOK, "version_propose", v)
}

// proposeTitle is the title of the page to propose a wording of t, or to
// amend parent.
func proposeTitle(c echo.Context, t model.Term, parent *model.Version) string {
	if parent != nil {
		return tr(c, "propose.title_amend", "Term", t.Title)
	}
	return tr(c, "propose.title", "Term", t.Title)
}

// proposeTarget loads the term in the path and, if rawParent is set, the
// version of it being amended. A parent that is not a version of this term
// is a 400.
func (s *Server) proposeTarget(c echo.Context, rawParent string) (model.Term, *model.Version, error) {
	ctx := c.Request().Context()
	t, err := s.store.Term(ctx, c.Param("slug"))
	if err != nil {
		return model.Term{}, nil, err
	}
	if rawParent == "" {
		return t, nil, nil
	}
	id, err := strconv.ParseInt(rawParent, 10, 64)
	if err != nil || id <= 0 {
		return model.Term{}, nil, badRequest(tr(c, "propose.bad_parent"))
	}
	p, err := s.store.Version(ctx, id)
	if errors.Is(err, model.ErrNotFound) || (err == nil && p.TermID != t.ID) {
		return model.Term{}, nil, badRequest(tr(c, "propose.not_of_term", "Version", rawParent, "Term", t.Title))
	}
	if err != nil {
		return model.Term{}, nil, err
	}
	return t, &p, nil
}
