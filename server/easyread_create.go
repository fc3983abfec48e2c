package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// easyReadCreate stores an Easy Read version of a term's agreed wording,
// or, for "Check wording", shows the form again with the check held to the
// Easy Read target and saves nothing. As for wordings, the reading age is
// advice, not a rule: a version above the target is saved, and the message
// after saving says so.
func (s *Server) easyReadCreate(c echo.Context) error {
	v, err := s.easyReadTarget(c)
	if err != nil {
		return err
	}
	v.Form = easyReadForm{Markdown: c.FormValue("markdown"), Image: c.FormValue("image"), ImageAlt: c.FormValue("image_alt")}
	explains, err := strconv.ParseInt(c.FormValue("explains_id"), 10, 64)
	if err != nil || explains <= 0 {
		return badRequest(tr(c, "easyread.error.explains_number"))
	}
	ctx := c.Request().Context()
	ne := model.NewEasyRead{Lang: model.SourceLang, Markdown: v.Form.Markdown,
		Image: v.Form.Image, ImageAlt: v.Form.ImageAlt, ExplainsID: explains, Author: currentUser(c)}
	var ve *model.ValidationError
	if c.FormValue("check") != "" {
		// The check, and what would keep it from being saved, if anything;
		// the check only of a text short enough to be saved.
		status := http.StatusOK
		if err := ne.Validate(); errors.As(err, &ve) {
			status, v.Error = http.StatusUnprocessableEntity, &formError{Field: ve.Field, Message: problem(c, ve)}
		}
		if len(ne.Markdown) <= model.MaxEasyReadLen && model.CheckWording(ne.Markdown) == nil {
			if v.Check, err = s.checkEasyRead(ctx, ne.Markdown); err != nil {
				return err
			}
		}
		return s.render(c, status, "easyread_new", v)
	}
	e, err := s.store.CreateEasyRead(ctx, v.Term.ID, ne)
	if errors.As(err, &ve) {
		v.Error = &formError{Field: ve.Field, Message: problem(c, ve)}
		return s.render(c, http.StatusUnprocessableEntity, "easyread_new", v)
	}
	if err != nil {
		return err
	}
	r, err := s.checkEasyRead(ctx, e.Markdown)
	if err != nil {
		return err
	}
	if r.OnTarget() {
		s.flash(c, tr(c, "easyread.saved"))
	} else {
		s.flash(c, tr(c, "easyread.saved_above", "Age", r.Age(), "Target", r.Target()))
	}
	return redirect(c, "/terms/"+v.Term.Slug+"#easy-read")
}
