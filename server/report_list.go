package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type reportsView struct {
	page
	Reported []model.ReportedComment
	commentForms
}

// reportList lists the comments people have reported, for facilitators to
// look at and, if need be, hide.
func (s *Server) reportList(c echo.Context) error {
	return s.renderReports(c, http.StatusOK, commentForm{})
}

func (s *Server) renderReports(c echo.Context, status int, sent commentForm) error {
	reported, err := s.store.ReportedComments(c.Request().Context())
	if err != nil {
		return err
	}
	return s.render(c, status, "report_list", reportsView{
		page:         s.newPage(c, tr(c, "reported.title")),
		Reported:     reported,
		commentForms: commentForms{sent: sent},
	})
}

// Item is comment c with its hide form, open, coming back here.
func (v reportsView) Item(c model.Comment) commentItem {
	it := v.item(v.page, c)
	it.Back, it.Open = "reports", true
	return it
}
