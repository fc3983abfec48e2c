package server

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"wordgarden/server/plain"
)

type termFormView struct {
	page
	// Term is the term's title as typed. It is not called Title, which
	// would hide the page's title from the layout.
	Term     string
	Markdown string
	Error    *formError
	Check    *plain.Report // after "Check wording"
}

// termNew is the form to start a term. ?title= fills in the title, for
// links to terms that do not exist yet.
func (s *Server) termNew(c echo.Context) error {
	return s.render(c, http.StatusOK, "term_new", termFormView{
		page: s.newPage(c, tr(c, "nav.start_term")),
		Term: strings.TrimSpace(c.QueryParam("title")),
	})
}
