package server

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"wordgarden/server/store"
)

// DefaultMetricsAllow is who may read /metrics unless told otherwise: this
// machine only, where a Prometheus agent or an operator's curl runs.
var DefaultMetricsAllow = []netip.Prefix{
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("::1/128"),
}

// ParseCIDRs reads a comma-separated list of address ranges ("10.0.0.0/8,
// ::1/128"); a plain address stands for itself alone.
func ParseCIDRs(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is neither an address range nor an address", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address range such as 10.0.0.0/8", f)
		}
		out = append(out, p.Masked())
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no address range in %q", list)
	}
	return out, nil
}

// metrics are what /metrics shows, in a registry of the server's own (not
// Prometheus's global one, so that two servers in one process, as in
// tests, count apart).
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	ballots  prometheus.Counter
	allow    []netip.Prefix
	handler  http.Handler
}

func newMetrics(st *store.Store, cache *pageCache, allow []netip.Prefix) *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wordgarden_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wordgarden_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern and method.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		ballots: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wordgarden_ballots_cast_total",
			Help: "Ballots stored, counting a changed ballot again.",
		}),
		allow: allow,
	}
	reg.MustRegister(
		m.requests, m.duration, m.ballots,
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "wordgarden_page_cache_hits_total",
			Help: "Shared pages answered from the page cache.",
		}, func() float64 { return float64(atomic.LoadUint64(&cache.hits)) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "wordgarden_page_cache_misses_total",
			Help: "Shared pages that had to be rendered.",
		}, func() float64 { return float64(atomic.LoadUint64(&cache.misses)) }),
		storeCollector{st},
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

// observe counts one answered request. Requests that matched no route are
// counted under "unmatched", never under their address, so that a scan of
// made-up addresses cannot make a label for each.
func (m *metrics) observe(route, method string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodOptions:
	default:
		method = "other"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route, method).Observe(took.Seconds())
}

// storeCollector reads the database's figures when Prometheus asks.
type storeCollector struct{ st *store.Store }

var (
	openRoundsDesc = prometheus.NewDesc("wordgarden_rounds_open", "Rounds open for voting now.", nil, nil)
	dbSizeDesc     = prometheus.NewDesc("wordgarden_database_size_bytes", "Size of the database: SQLite's pages without the write-ahead log, or the PostgreSQL database's size.", nil, nil)
	commitsDesc    = prometheus.NewDesc("wordgarden_database_commits_total", "Write transactions committed since the server started.", nil, nil)
)

func (c storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- openRoundsDesc
	ch <- dbSizeDesc
	ch <- commitsDesc
}

func (c storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n, err := c.st.CountOpenRounds(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(openRoundsDesc, err)
	} else {
		ch <- prometheus.MustNewConstMetric(openRoundsDesc, prometheus.GaugeValue, float64(n))
	}
	if n, err := c.st.Size(ctx); err != nil {
		ch <- prometheus.NewInvalidMetric(dbSizeDesc, err)
	} else {
		ch <- prometheus.MustNewConstMetric(dbSizeDesc, prometheus.GaugeValue, float64(n))
	}
	ch <- prometheus.MustNewConstMetric(commitsDesc, prometheus.CounterValue, float64(c.st.Commits()))
}
