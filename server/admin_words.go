package server

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/plain"
	"wordgarden/server/store"
)

type wordsView struct {
	page
	Local      []store.LocalWord
	Standard   []plain.Entry
	Phrase     string
	Suggestion string
	Error      *formError
}

// adminWords is the facilitators' list of local words to avoid, beside the
// GOV.UK and NHS lists the plain-language check always uses.
func (s *Server) adminWords(c echo.Context) error {
	return s.renderWords(c, http.StatusOK, wordsView{})
}

func (s *Server) renderWords(c echo.Context, status int, v wordsView) error {
	local, err := s.store.LocalWords(c.Request().Context())
	if err != nil {
		return err
	}
	v.page = s.newPage(c, "Words to avoid")
	v.Local = local
	v.Standard = plain.StandardWords()
	return s.render(c, status, "words", v)
}

// adminWordAdd adds a local word to avoid.
func (s *Server) adminWordAdd(c echo.Context) error {
	v := wordsView{Phrase: c.FormValue("phrase"), Suggestion: c.FormValue("suggestion")}
	w, err := s.store.AddLocalWord(c.Request().Context(), v.Phrase, v.Suggestion, currentUser(c).Name)
	var ve *store.ValidationError
	if errors.As(err, &ve) {
		v.Error = &formError{Prefix: "word-", Field: ve.Field, Message: ve.Message}
		return s.renderWords(c, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	s.flash(c, "“"+w.Phrase+"” is added. The plain-language check now suggests “"+w.Suggestion+"” instead.")
	return redirect(c, "/admin/words")
}

// adminWordDelete takes a local word off the list.
func (s *Server) adminWordDelete(c echo.Context) error {
	id, err := paramID(c, "There is no such word on the list.")
	if err != nil {
		return err
	}
	err = s.store.DeleteLocalWord(c.Request().Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return notFound("There is no such word on the list. Someone may have taken it off already.")
	}
	if err != nil {
		return err
	}
	s.flash(c, "The word is taken off the list.")
	return redirect(c, "/admin/words")
}
