package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/store"
)

// loadComment reads the comment in the path.
func (s *Server) loadComment(c echo.Context) (store.Comment, error) {
	id, err := paramID(c, "There is no comment with that number.")
	if err != nil {
		return store.Comment{}, err
	}
	cm, err := s.store.Comment(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Comment{}, notFound("There is no comment with that number.")
	}
	return cm, err
}

// commentLink is where a comment is shown.
func commentLink(cm store.Comment) string {
	return fmt.Sprintf("/versions/%d#comment-%d", cm.VersionID, cm.ID)
}

// commentReport asks the facilitators to look at a comment; a reason is
// optional. A second report of one comment by one person changes nothing.
func (s *Server) commentReport(c echo.Context) error {
	cm, err := s.loadComment(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	err = s.store.ReportComment(c.Request().Context(), cm.ID, currentUser(c), reason)
	var ve *store.ValidationError
	switch {
	case errors.As(err, &ve):
		v, err := s.versionView(c, cm.VersionID)
		if err != nil {
			return err
		}
		prefix := fmt.Sprintf("report-%d-", cm.ID)
		v.sent = commentForm{Prefix: prefix, Reason: reason, Error: &formError{Prefix: prefix, Field: ve.Field, Message: ve.Message}}
		return s.render(c, http.StatusUnprocessableEntity, "version", v)
	case errors.Is(err, store.ErrDuplicate):
		s.flash(c, "You have already reported this comment. A facilitator will look at it.")
	case err != nil:
		return err
	default:
		s.flash(c, "Thank you. A facilitator will look at this comment.")
	}
	return redirect(c, commentLink(cm))
}

// commentHide hides a comment with a reason, which readers see instead of
// it. The form on the reports page sends back=reports, to come back there.
func (s *Server) commentHide(c echo.Context) error {
	cm, err := s.loadComment(c)
	if err != nil {
		return err
	}
	reason := c.FormValue("reason")
	fromReports := c.FormValue("back") == "reports"
	if !cm.Hidden {
		err = s.store.HideComment(c.Request().Context(), cm.ID, currentUser(c), reason)
	}
	var ve *store.ValidationError
	switch {
	case cm.Hidden, errors.Is(err, store.ErrAlreadyHidden):
		// Another facilitator was first, perhaps a moment ago.
		s.flash(c, "This comment was already hidden.")
		return redirect(c, commentLink(cm))
	case errors.As(err, &ve):
		prefix := fmt.Sprintf("hide-%d-", cm.ID)
		sent := commentForm{Prefix: prefix, Reason: reason, Error: &formError{Prefix: prefix, Field: ve.Field, Message: ve.Message}}
		if fromReports {
			return s.renderReports(c, http.StatusUnprocessableEntity, sent)
		}
		v, err := s.versionView(c, cm.VersionID)
		if err != nil {
			return err
		}
		v.sent = sent
		return s.render(c, http.StatusUnprocessableEntity, "version", v)
	case err != nil:
		return err
	}
	s.flash(c, "The comment is hidden. Readers see your reason instead.")
	if fromReports {
		return redirect(c, "/admin/reports")
	}
	return redirect(c, commentLink(cm))
}

type reportsView struct {
	page
	Reported []store.ReportedComment
	commentForms
}

// reports lists the comments people have reported, for facilitators to
// look at and, if need be, hide.
func (s *Server) reports(c echo.Context) error {
	return s.renderReports(c, http.StatusOK, commentForm{})
}

func (s *Server) renderReports(c echo.Context, status int, sent commentForm) error {
	reported, err := s.store.ReportedComments(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, status, "reports", reportsView{
		page:         s.newPage(c, "Reported comments"),
		Reported:     reported,
		commentForms: commentForms{sent: sent},
	})
}

// Item is comment c with its hide form, open, coming back here.
func (v reportsView) Item(c store.Comment) commentItem {
	it := v.item(v.page, c)
	it.Back, it.Open = "reports", true
	return it
}
