package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/plain"
)

type termFormView struct {
	page
	Title    string
	Markdown string
	Error    *formError
	Check    *plain.Report // after "Check wording"
}

// termNew is the form to start a term. ?title= fills in the title, for
// links to terms that do not exist yet.
func (s *Server) termNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "term_new", termFormView{
		page:  s.newPage(c, tr(c, "nav.start_term")),
		Title: strings.TrimSpace(c.QueryParam("title")),
	})
}
