package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// loadComment reads the comment in the path.
func (s *Server) loadComment(c echo.Context) (model.Comment, error) {
	id, err := paramID(c, model.ThingComment)
	if err != nil {
		return model.Comment{}, err
	}
	return s.store.Comment(c.Request().Context(), id)
}

// commentLink is where a comment is shown.
func commentLink(cm model.Comment) string {
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
	var ve *model.ValidationError
	switch {
	case errors.As(err, &ve):
		v, err := s.versionView(c, cm.VersionID)
		if err != nil {
			return err
		}
		prefix := fmt.Sprintf("report-%d-", cm.ID)
		v.sent = commentForm{Prefix: prefix, Reason: reason, Error: &formError{Prefix: prefix, Field: ve.Field, Message: problem(c, ve)}}
		return s.render(c, http.StatusUnprocessableEntity, "version_show", v)
	case errors.Is(err, model.ErrDuplicate):
		s.flash(c, tr(c, "comment.already_reported"))
	case err != nil:
		return err
	default:
		s.flash(c, tr(c, "comment.reported"))
	}
	return redirect(c, commentLink(cm))
}
