package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/plain"
)

type versionView struct {
	page
	Version      model.Version
	Term         model.Term
	Parent       *model.Version
	Check        *plain.Report
	Threads      []model.Comment // the comments, each with its replies
	Kinds        []model.CommentKind
	commentForms // a form sent back with an error, if any

	// Translation is what a translation is of, and nil for an English
	// version; a translation has no Check, which reads English only.
	Translation *translationInfo
}

// versionShow is one version's page, with its comments.
func (s *Server) versionShow(c echo.Context) error {
	id, err := paramID(c, model.ThingVersion)
	if err != nil {
		return err
	}
	v, err := s.versionView(c, id)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "version_show", v)
}

// versionView reads what the page of the version with this id shows.
func (s *Server) versionView(c echo.Context, id int64) (versionView, error) {
	ctx := c.Request().Context()
	v, err := s.store.Version(ctx, id)
	if err != nil {
		return versionView{}, err
	}
	t, err := s.store.Term(ctx, v.TermSlug)
	if err != nil {
		return versionView{}, err
	}
	view := versionView{
		page:    s.newPage(c, tr(c, "version.title", "Term", t.Title, "ID", v.ID)),
		Version: v,
		Term:    t,
		Kinds:   model.CommentKinds,
	}
	if v.ParentID != 0 {
		p, err := s.store.Version(ctx, v.ParentID)
		if err != nil {
			return versionView{}, err
		}
		view.Parent = &p
	}
	if view.Translation, err = s.translationOf(ctx, v, t); err != nil {
		return versionView{}, err
	}
	if view.Translation == nil {
		if view.Check, err = s.checkVersion(ctx, v); err != nil {
			return versionView{}, err
		}
	}
	if view.Threads, err = s.store.Comments(ctx, v.ID); err != nil {
		return versionView{}, err
	}
	return view, nil
}

// AgreedToCompare is the agreed wording in the version's own language, for
// "Compare with the agreed wording": the agreed English for an English
// version, the agreed translation for a translation (comparing Spanish with
// English words would show every word changed). It is 0 when there is none
// or the version is it.
func (v versionView) AgreedToCompare() int64 {
	id := v.Term.AgreedVersionID
	if v.Translation != nil {
		id = v.Translation.AgreedID
	}
	if id == v.Version.ID {
		return 0
	}
	return id
}

// Counts is how many comments of each kind the version has, hidden ones
// not counted.
func (v versionView) Counts() model.CommentCounts { return countComments(v.Threads) }
