package server

import (
	"net"
	"net/http"
	"net/netip"

	"github.com/labstack/echo/v4"
)

// metricsShow answers /metrics to addresses in the allowed ranges. It
// looks at the address the connection comes from, never at headers a
// client can write; and a request a proxy forwarded (it says so in
// Forwarded, X-Forwarded-For or X-Real-IP) is refused even from an allowed
// address, because it comes from somewhere else: a TLS proxy on the same
// machine would otherwise open /metrics to everyone. Scrape it directly.
func (s *Server) metricsShow(c echo.Context) error {
	r := c.Request()
	if !s.metrics.allows(r) {
		return echo.NewHTTPError(http.StatusForbidden, "The metrics are not served to your address.")
	}
	s.metrics.handler.ServeHTTP(c.Response(), r)
	return nil
}

func (m *metrics) allows(r *http.Request) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	a = a.Unmap().WithZone("")
	for _, p := range m.allow {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
