package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthTimeout bounds a health check: a database that takes longer to
// take a write is as good as down to whoever is asking.
const healthTimeout = 3 * time.Second

// health is what /healthz answers.
type health struct {
	Status  string `json:"status"` // "ok" or "unavailable"
	Version string `json:"version"`
	Error   string `json:"error,omitempty"`
}

// healthCheck says whether the site can serve: the database answers, takes
// a write as large as ballots need, and has not failed a write for want of
// storage since ballots last went through (store.CheckWritable). It is
// never cached, and it does not change what pages show.
func (s *Server) healthCheck(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request().Context(), healthTimeout)
	defer cancel()
	if err := s.store.CheckWritable(ctx); err != nil {
		s.log.Error("health check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, health{
			Status: "unavailable", Version: s.version,
			Error: "the database is not reachable or does not take writes",
		})
	}
	return c.JSON(http.StatusOK, health{Status: "ok", Version: s.version})
}
