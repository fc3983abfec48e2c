package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// translationCreate stores a translation, or an amendment of one. The store
// refuses one of a version that stopped being the agreed English wording
// while it was written; the form comes back with the text, to keep.
func (s *Server) translationCreate(c echo.Context) error {
	v, err := s.translationTarget(c, c.FormValue("parent_id"))
	if err != nil {
		return err
	}
	v.Form = translationForm{Language: c.FormValue("language"), Title: c.FormValue("title"), Markdown: c.FormValue("markdown")}
	nt := model.NewTranslation{Lang: v.Form.Language, Title: v.Form.Title, Markdown: v.Form.Markdown,
		TranslatesID: v.Source.ID, Author: currentUser(c)}
	if v.Parent != nil {
		// An amendment is in the language of the translation it amends.
		nt.ParentID, nt.Lang, v.Form.Language = v.Parent.ID, v.Parent.Lang, v.Parent.Lang
	}
	saved, err := s.store.CreateTranslation(c.Request().Context(), v.Term.ID, nt)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		v.Error = &formError{Field: ve.Field, Message: problem(c, ve)}
		return s.render(c, http.StatusUnprocessableEntity, "translation_new", v)
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "translations.saved", "ID", saved.ID))
	return redirect(c, "/versions/"+strconv.FormatInt(saved.ID, 10))
}
