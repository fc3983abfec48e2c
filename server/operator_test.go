package server

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	a := newTestAppWith(t, func(c *Config) { c.Version = "v9.8.7-test" })
	gen := a.store.Generation()
	res := a.visitor().get("/healthz").wantStatus(t, http.StatusOK)
	var h struct{ Status, Version, Error string }
	if err := json.Unmarshal([]byte(res.body), &h); err != nil {
		t.Fatalf("%v in %s", err, res.body)
	}
	if h.Status != "ok" || h.Version != "v9.8.7-test" || h.Error != "" {
		t.Errorf("healthz = %+v", h)
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	if len(res.cookies()) != 0 {
		t.Errorf("healthz sets cookies: %v", res.cookies())
	}
	if a.store.Generation() != gen {
		t.Error("a health check changed the store's generation, emptying the page cache")
	}

	// A database that does not answer: 503, with the reason.
	a.store.Close()
	res = a.visitor().get("/healthz").wantStatus(t, http.StatusServiceUnavailable)
	if err := json.Unmarshal([]byte(res.body), &h); err != nil {
		t.Fatalf("%v in %s", err, res.body)
	}
	if h.Status != "unavailable" || !strings.Contains(h.Error, "database") || h.Version != "v9.8.7-test" {
		t.Errorf("healthz of a closed database = %+v", h)
	}
}

// scrape reads /metrics as Prometheus would.
func scrape(t *testing.T, a *testApp) map[string]*dto.MetricFamily {
	t.Helper()
	res := a.visitor().get("/metrics").wantStatus(t, http.StatusOK)
	p := expfmt.NewTextParser(model.UTF8Validation)
	mf, err := p.TextToMetricFamilies(strings.NewReader(res.body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return mf
}

// metricValue is the value of the metric of family name whose labels
// include all of labels (a counter, gauge or histogram's count), or -1.
func metricValue(mf map[string]*dto.MetricFamily, name string, labels map[string]string) float64 {
	f, ok := mf[name]
	if !ok {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range labels {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue()
		case m.Gauge != nil:
			return m.Gauge.GetValue()
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount())
		}
	}
	return -1
}

// TestMetrics scrapes /metrics after some reading and a vote.
func TestMetrics(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	round := a.openRound("social-prescribing")
	v := a.visitor()
	for range 3 {
		v.get("/terms/social-prescribing").wantStatus(t, http.StatusOK) // one miss, then hits
	}
	v.get("/terms/wellbeing").wantStatus(t, http.StatusOK)
	v.get("/no/such/page/"+strconv.Itoa(12345)).wantStatus(t, http.StatusNotFound)
	roundPath := "/rounds/" + strconv.FormatInt(round.ID, 10)
	a.as(a.resident).post(roundPath+"/ballot", url.Values{"approve": {strconv.FormatInt(round.Candidates[0].ID, 10)}}).
		wantStatus(t, http.StatusOK)

	mf := scrape(t, a)
	for _, tt := range []struct {
		name   string
		labels map[string]string
		want   func(float64) bool
		says   string
	}{
		{"wordgarden_http_requests_total", map[string]string{"route": "/terms/:slug", "method": "GET", "status": "200"}, eq(4), "4 term pages by route pattern"},
		{"wordgarden_http_requests_total", map[string]string{"route": "/rounds/:id/ballot", "method": "POST", "status": "200"}, eq(1), "1 ballot posted"},
		{"wordgarden_http_requests_total", map[string]string{"route": "unmatched", "status": "404"}, eq(1), "the unknown address counted as unmatched"},
		{"wordgarden_http_request_duration_seconds", map[string]string{"route": "/terms/:slug", "method": "GET"}, eq(4), "4 term page timings"},
		{"wordgarden_ballots_cast_total", nil, eq(1), "1 ballot cast"},
		{"wordgarden_rounds_open", nil, eq(1), "1 round open"},
		{"wordgarden_database_size_bytes", nil, func(f float64) bool { return f >= 4096 }, "a database size"},
		{"wordgarden_database_commits_total", nil, eq(float64(a.store.Commits())), "the store's commits"},
		{"wordgarden_page_cache_hits_total", nil, func(f float64) bool { return f >= 2 }, "at least 2 cache hits"},
		{"wordgarden_page_cache_misses_total", nil, func(f float64) bool { return f >= 2 }, "at least 2 cache misses"},
		{"go_goroutines", nil, func(f float64) bool { return f > 0 }, "Go runtime figures"},
	} {
		if got := metricValue(mf, tt.name, tt.labels); !tt.want(got) {
			t.Errorf("%s%v = %v, want %s", tt.name, tt.labels, got, tt.says)
		}
	}
	for _, m := range mf["wordgarden_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "route" && strings.ContainsAny(l.GetValue(), "0123456789") {
				t.Errorf("a route label is an address, not a pattern: %q", l.GetValue())
			}
		}
	}
}

func eq(want float64) func(float64) bool { return func(f float64) bool { return f == want } }

// TestMetricsAddresses: /metrics answers only the allowed address ranges,
// judged by the connection, and never a request a proxy forwarded.
func TestMetricsAddresses(t *testing.T) {
	t.Parallel()
	loopback := &metrics{allow: DefaultMetricsAllow}
	private := &metrics{allow: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16")}}
	for _, tt := range []struct {
		m      *metrics
		remote string
		header string
		want   bool
	}{
		{loopback, "127.0.0.1:5000", "", true},
		{loopback, "127.8.9.10:5000", "", true},
		{loopback, "[::1]:5000", "", true},
		{loopback, "[::ffff:127.0.0.1]:5000", "", true},
		{loopback, "192.0.2.7:5000", "", false},
		{loopback, "[2001:db8::1]:5000", "", false},
		{loopback, "127.0.0.1:5000", "X-Forwarded-For", false},
		{loopback, "127.0.0.1:5000", "Forwarded", false},
		{loopback, "127.0.0.1:5000", "X-Real-Ip", false},
		{loopback, "garbage", "", false},
		{private, "10.1.200.3:9000", "", true},
		{private, "10.2.0.1:9000", "", false},
		{private, "127.0.0.1:9000", "", false},
	} {
		r, _ := http.NewRequest(http.MethodGet, "/metrics", nil)
		r.RemoteAddr = tt.remote
		if tt.header != "" {
			r.Header.Set(tt.header, "127.0.0.1")
		}
		if got := tt.m.allows(r); got != tt.want {
			t.Errorf("%v from %s (%s): allowed = %v, want %v", tt.m.allow, tt.remote, tt.header, got, tt.want)
		}
	}

	// Over HTTP: the test server is on 127.0.0.1.
	a := newTestAppWith(t, func(c *Config) { c.MetricsAllow = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")} })
	res := a.as(a.facilitator).get("/metrics").wantStatus(t, http.StatusForbidden)
	if strings.Contains(res.body, "wordgarden_") {
		t.Error("a refused scrape shows metrics")
	}
	b := newTestApp(t)
	c := b.visitor()
	c.header.Set("X-Forwarded-For", "198.51.100.4")
	c.get("/metrics").wantStatus(t, http.StatusForbidden)
}

func TestParseCIDRs(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"127.0.0.0/8,::1/128":    "[127.0.0.0/8 ::1/128]",
		" 10.0.0.0/8 , 10.1.2.3": "[10.0.0.0/8 10.1.2.3/32]",
		"192.168.1.77/24":        "[192.168.1.0/24]",
		"::1":                    "[::1/128]",
	} {
		got, err := ParseCIDRs(in)
		if err != nil || fmtPrefixes(got) != want {
			t.Errorf("ParseCIDRs(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", ",", "localhost", "10.0.0.0/33", "10.0.0/8"} {
		if _, err := ParseCIDRs(bad); err == nil {
			t.Errorf("ParseCIDRs(%q) took it", bad)
		}
	}
}

func fmtPrefixes(ps []netip.Prefix) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}

// syncBuffer is a buffer that log lines from many requests can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsKeepNoSecrets follows people through the site (signing in, a
// wrong password, printing invite codes, joining with one from a link,
// voting, proposing a wording) with the log written as text and as JSON at
// debug level, and fails if a password, an invite code, a session cookie or
// a CSRF token is anywhere in it. It also checks that each request is one
// line with what an operator needs.
func TestLogsKeepNoSecrets(t *testing.T) {
	t.Parallel()
	var textLog, jsonLog syncBuffer
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	a := newTestAppWith(t, func(c *Config) {
		c.Logger = slog.New(slog.NewMultiHandler(slog.NewTextHandler(&textLog, opts), slog.NewJSONHandler(&jsonLog, opts)))
	})
	base, _ := url.Parse(a.ts.URL)
	var secrets []string
	keep := func(c *client) {
		for _, ck := range c.http.Jar.Cookies(base) {
			secrets = append(secrets, ck.Value)
		}
	}

	// The facilitator signs in with the form, and prints codes.
	fran := a.visitor()
	fran.post("/login", url.Values{"email": {"fran@example.org"}, "password": {"not the password at all"}}).wantStatus(t, http.StatusUnauthorized)
	fran.post("/login", url.Values{"email": {"fran@example.org"}, "password": {testPassword}}).wantRedirect(t, "/")
	print := fran.post("/admin/invites", url.Values{"neighbourhood": {"peckham"}, "count": {"2"}}).wantStatus(t, http.StatusOK)
	var codes []string
	print.doc.Find(".slip .code").Each(func(_ int, s *goquery.Selection) { codes = append(codes, text(s)) })
	if len(codes) != 2 {
		t.Fatalf("%d codes printed", len(codes))
	}
	round := a.openRound("social-prescribing")
	roundPath := "/rounds/" + strconv.FormatInt(round.ID, 10)
	keep(fran)

	// A resident follows the link on a slip, with the code in it, and joins.
	ola := a.visitor()
	ola.get("/join?code="+url.QueryEscape(codes[0])).wantStatus(t, http.StatusOK)
	ola.post("/join", url.Values{"code": {codes[0]}, "name": {"Ola"}, "password": {"ola's own long secret"}}).wantRedirect(t, "/rounds")
	ola.post(roundPath+"/ballot", url.Values{"approve": {strconv.FormatInt(round.Candidates[1].ID, 10)}}).wantStatus(t, http.StatusOK)
	ola.post("/logout", nil).wantRedirect(t, "/")
	ola.post("/login", url.Values{"email": {"Ola"}, "password": {"ola's own long secret"}}).wantRedirect(t, "/")
	keep(ola)
	// Someone tries a code with a mistake in it.
	a.visitor().post("/join", url.Values{"code": {codes[1] + "X"}, "name": {"Pat"}, "password": {"pat's own long secret"}}).
		wantStatus(t, http.StatusUnprocessableEntity)

	// A partner signs in and proposes a wording.
	sam := a.visitor()
	sam.post("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}}).wantRedirect(t, "/")
	sam.post("/terms/wellbeing/versions", url.Values{"markdown": {"Feeling well, in body and mind, day to day."}}).
		wantStatus(t, http.StatusSeeOther)
	keep(sam)

	secrets = append(secrets, testPassword, "not the password at all", "ola's own long secret", "pat's own long secret",
		url.QueryEscape("ola's own long secret"))
	for _, code := range codes {
		plain := strings.ReplaceAll(code, "-", "")
		secrets = append(secrets, code, plain, strings.ToLower(plain), url.QueryEscape(code))
	}
	logs := map[string]string{"text": textLog.String(), "json": jsonLog.String()}
	for format, log := range logs {
		if strings.Count(log, "\n") < 10 {
			t.Fatalf("%s log has %d lines; is the logger used?", format, strings.Count(log, "\n"))
		}
		for _, s := range secrets {
			if len(s) >= 6 && strings.Contains(log, s) {
				t.Errorf("the %s log contains a secret %q", format, s)
			}
		}
	}
	if len(secrets) < 14 {
		t.Fatalf("only %d secrets collected", len(secrets))
	}

	// One JSON line per request, with what an operator needs.
	var joinLine map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs["json"]), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("a JSON log line does not parse: %v: %s", err, line)
		}
		if m["msg"] == "request" && m["path"] == "/join" && m["method"] == "GET" {
			joinLine = m
		}
	}
	if joinLine == nil {
		t.Fatal("no log line for GET /join")
	}
	for _, key := range []string{"route", "status", "duration_ms", "request_id", "method", "path"} {
		if _, ok := joinLine[key]; !ok {
			t.Errorf("the request line has no %s: %v", key, joinLine)
		}
	}
	if joinLine["request_id"] == "" || joinLine["status"] != float64(200) {
		t.Errorf("request line = %v", joinLine)
	}
}
