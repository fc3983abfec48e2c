package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

// wordCreate adds a local word to avoid.
func (s *Server) wordCreate(c echo.Context) error {
	v := wordsView{Phrase: c.FormValue("phrase"), Suggestion: c.FormValue("suggestion")}
	w, err := s.store.AddLocalWord(c.Request().Context(), v.Phrase, v.Suggestion, currentUser(c).Name)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		v.Error = &formError{Prefix: "word-", Field: ve.Field, Message: problem(c, ve)}
		return s.renderWords(c, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	s.flash(c, tr(c, "admin.words.added", "Phrase", w.Phrase, "Suggestion", w.Suggestion))
	return redirect(c, "/admin/words")
}
