package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

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
	var ve *model.ValidationError
	switch {
	case cm.Hidden, errors.Is(err, model.ErrAlreadyHidden):
		// Another facilitator was first, perhaps a moment ago.
		s.flash(c, tr(c, "comment.already_hidden"))
		return redirect(c, commentLink(cm))
	case errors.As(err, &ve):
		prefix := fmt.Sprintf("hide-%d-", cm.ID)
		sent := commentForm{Prefix: prefix, Reason: reason, Error: &formError{Prefix: prefix, Field: ve.Field, Message: problem(c, ve)}}
		if fromReports {
			return s.renderReports(c, http.StatusUnprocessableEntity, sent)
		}
		v, err := s.versionView(c, cm.VersionID)
		if err != nil {
			return err
		}
		v.sent = sent
		return s.render(c, http.StatusUnprocessableEntity, "version_show", v)
	case err != nil:
		return err
	}
	s.flash(c, tr(c, "comment.hidden_done"))
	if fromReports {
		return redirect(c, "/admin/reports")
	}
	return redirect(c, commentLink(cm))
}
