package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/plain"
)

type wordsView struct {
	page
	Local      []model.LocalWord
	Standard   []plain.Entry
	Phrase     string
	Suggestion string
	Error      *formError
}

// wordList is the facilitators' list of local words to avoid, beside the
// GOV.UK and NHS lists the plain-language check always uses.
func (s *Server) wordList(c echo.Context) error {
	return s.renderWords(c, http.StatusOK, wordsView{})
}

func (s *Server) renderWords(c echo.Context, status int, v wordsView) error {
	local, err := s.store.LocalWords(c.Request().Context())
	if err != nil {
		return err
	}
	v.page = s.newPage(c, tr(c, "admin.words.title"))
	v.Local = local
	v.Standard = plain.StandardWords()
	return s.render(c, status, "word_list", v)
}
