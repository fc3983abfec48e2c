package server

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// personExport downloads everything the database holds about one person,
// as JSON, for a facilitator to give them (their right of access).
func (s *Server) personExport(c echo.Context) error {
	u, err := s.personParam(c)
	if err != nil {
		return err
	}
	d, err := s.store.PersonData(c.Request().Context(), u.ID)
	if err != nil {
		return s.personFailed(c, u, err)
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("export person %d: %w", u.ID, err)
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="wordgarden-person-%d.json"`, u.ID))
	// Personal data: no copy kept by browsers or proxies.
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, append(b, '\n'))
}
