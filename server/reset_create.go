package server

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
)

type resetCodeView struct {
	page
	Reset   model.ResetCode
	SiteURL string
}

// resetCreate makes a one-time code with which a person chooses a new
// password, and shows it once, as a slip to print or read out: only its
// hash is kept. A new code replaces one not yet used.
func (s *Server) resetCreate(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	rc, err := s.store.CreateResetCode(c.Request().Context(), u.ID, currentUser(c).ID)
	if err != nil {
		return s.personFailed(c, u, err)
	}
	return s.renderNoStore(c, http.StatusOK, "reset_create", resetCodeView{
		page:    s.newPage(c, "Password reset code for "+u.Name),
		Reset:   rc,
		SiteURL: s.siteURL(c),
	})
}

// renderNoStore is render for a page that must not be kept anywhere, such
// as one showing a code that works once: not in the browser's history
// cache, not by a proxy.
func (s *Server) renderNoStore(c echo.Context, status int, name string, data any) error {
	t, ok := s.pages.byName[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}
