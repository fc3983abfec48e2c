package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/ratelimit"
)

// trustLocalProxy makes the test's own connections, from 127.0.0.1, those
// of a trusted proxy: a client then says where it is with X-Forwarded-For,
// as a proxy in front of the site would say it.
func trustLocalProxy(cfg *Config) {
	cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
}

// from is a visitor at addr, behind the trusted proxy.
func (a *testApp) from(addr string) *client {
	c := a.visitor()
	c.header.Set("X-Forwarded-For", addr)
	return c
}

func signInAs(login, password string) url.Values {
	return url.Values{"email": {login}, "password": {password}}
}

// wantTooMany checks a 429 with a Retry-After between 1 second and most.
func wantTooMany(t *testing.T, res *response, most time.Duration) {
	t.Helper()
	res.wantStatus(t, http.StatusTooManyRequests)
	secs, err := strconv.Atoi(res.header.Get("Retry-After"))
	if err != nil || secs < 1 || time.Duration(secs)*time.Second > most {
		t.Errorf("Retry-After = %q, want 1s to %v", res.header.Get("Retry-After"), most)
	}
}

// Without trusted proxies, X-Forwarded-For and X-Real-IP are the client's
// to write, so the limits ignore them: a client cannot be a new address
// for every guess. The test's connections come from 127.0.0.1, which echo
// would trust by default.
func TestLimitsIgnoreForwardedHeaders(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	claim := func(i int) *client {
		c := a.visitor()
		c.header.Set("X-Forwarded-For", "198.51.100."+strconv.Itoa(i))
		c.header.Set("X-Real-IP", "198.51.100."+strconv.Itoa(i))
		return c
	}
	for i := range 5 {
		claim(i).post("/login", signInAs("sam@example.org", "guess "+strconv.Itoa(i))).wantStatus(t, http.StatusUnauthorized)
	}
	wantTooMany(t, claim(99).post("/login", signInAs("sam@example.org", testPassword)), time.Minute)

	for i := range joinPerAddress {
		claim(i).post("/join", url.Values{"code": {"ZZZZ-" + strconv.Itoa(1000+i)}, "name": {"Ola"}, "password": {"a long enough secret"}}).
			wantStatus(t, http.StatusUnprocessableEntity)
	}
	wantTooMany(t, claim(99).post("/join", url.Values{"code": {"ZZZZ-ZZZZ"}, "name": {"Ola"}, "password": {"a long enough secret"}}), time.Minute)
}

// Behind a trusted proxy, each client counts under the address the proxy
// names: the nearest one in X-Forwarded-For, since what is to its left the
// client wrote itself. An IPv6 client counts by its /64.
func TestLimitsBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	a := newTestAppWith(t, trustLocalProxy)
	for i := range 5 {
		a.from("203.0.113.1").post("/login", signInAs("sam@example.org", "guess "+strconv.Itoa(i))).wantStatus(t, http.StatusUnauthorized)
	}
	wantTooMany(t, a.from("203.0.113.1").post("/login", signInAs("sam@example.org", testPassword)), time.Minute)
	a.from("203.0.113.2").post("/login", signInAs("sam@example.org", testPassword)).wantRedirect(t, "/")

	// The client forges the left of the header; the proxy adds the right.
	for i := range 5 {
		a.from("198.51.100."+strconv.Itoa(i)+", 203.0.113.3").post("/login", signInAs("val@example.org", "guess")).
			wantStatus(t, http.StatusUnauthorized)
	}
	wantTooMany(t, a.from("198.51.100.99, 203.0.113.3").post("/login", signInAs("val@example.org", testPassword)), time.Minute)

	for i := range 5 {
		a.from("2001:db8:1:2::"+strconv.Itoa(i+1)).post("/login", signInAs("fran@example.org", "guess")).
			wantStatus(t, http.StatusUnauthorized)
	}
	wantTooMany(t, a.from("2001:db8:1:2:ffff::1").post("/login", signInAs("fran@example.org", testPassword)), time.Minute)
	a.from("2001:db8:1:3::1").post("/login", signInAs("fran@example.org", testPassword)).wantRedirect(t, "/")
}

// Many wrong passwords at once: each takes its try before the password is
// checked, so no more than the limit's 5 are checked, however they
// interleave. Each check is made as slow as bcrypt at its real cost, when
// the others arrive while it runs.
func TestConcurrentSignInsCheckedWithinLimit(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	var checked atomic.Int32
	a.srv.authenticate = func(ctx context.Context, login, password string) (model.User, error) {
		checked.Add(1)
		time.Sleep(50 * time.Millisecond)
		return a.store.Authenticate(ctx, login, password)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range 60 {
		wg.Go(func() {
			form := signInAs("fran@example.org", "guess "+strconv.Itoa(i))
			req, _ := http.NewRequest(http.MethodPost, a.ts.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			res, err := a.ts.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			mu.Lock()
			statuses[res.StatusCode]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if n := checked.Load(); n != 5 {
		t.Errorf("%d of 60 passwords checked, want 5", n)
	}
	if statuses[http.StatusUnauthorized] != 5 || statuses[http.StatusTooManyRequests] != 55 {
		t.Errorf("answers %v, want 5 × 401 and 55 × 429", statuses)
	}
}

// Guessing a facilitator's password from elsewhere neither locks her out
// nor goes on at speed: the account-wide limit slows the guesses to one
// every 10 minutes, and never counts the address she signs in from.
func TestGuessingElsewhereLocksNoOneOut(t *testing.T) {
	t.Parallel()
	a := newTestAppWith(t, trustLocalProxy)
	const desk = "198.51.100.10"
	a.from(desk).post("/login", signInAs("fran@example.org", testPassword)).wantRedirect(t, "/")

	// Wrong passwords from one address lock only that address out of the
	// account.
	for i := range 5 {
		a.from("203.0.113.200").post("/login", signInAs("fran@example.org", "guess "+strconv.Itoa(i))).wantStatus(t, http.StatusUnauthorized)
	}
	wantTooMany(t, a.from("203.0.113.200").post("/login", signInAs("fran@example.org", testPassword)), time.Minute)
	a.from("192.0.2.7").post("/login", signInAs("fran@example.org", testPassword)).wantRedirect(t, "/")

	// Many addresses together: 20 wrong passwords for the account, 5 above
	// and 15 here, then every further guess waits.
	for i := range 15 {
		a.from("203.0.113."+strconv.Itoa(i+1)).post("/login", signInAs("FRAN@example.org", "guess")).wantStatus(t, http.StatusUnauthorized)
	}
	wantTooMany(t, a.from("203.0.113.99").post("/login", signInAs("fran@example.org", "guess")), 10*time.Minute)

	// Fran at her usual desk signs in; from a new address she waits
	// minutes, not hours.
	a.from(desk).post("/login", signInAs("fran@example.org", testPassword)).wantRedirect(t, "/")
	wantTooMany(t, a.from("192.0.2.8").post("/login", signInAs("fran@example.org", testPassword)), 10*time.Minute)
	// Nobody else is held up.
	a.from("203.0.113.99").post("/login", signInAs("sam@example.org", testPassword)).wantRedirect(t, "/")
}

// A room at a community event shares one address: a few mistyped codes do
// not stop the next person's right one.
func TestMistypedCodesDoNotBlockTheRoom(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	n, _ := a.store.NeighbourhoodBySlug(ctx, "peckham")
	codes, err := a.store.CreateInvites(ctx, n.ID, 1, timeZero)
	if err != nil {
		t.Fatal(err)
	}
	mistyped := "Z" + codes[0][1:] // one letter wrong
	if codes[0][0] == 'Z' {
		mistyped = "Y" + codes[0][1:]
	}
	for range 5 {
		res := a.visitor().post("/join", url.Values{"code": {mistyped}, "name": {"Ola"}, "password": {"a long enough secret"}})
		res.wantStatus(t, http.StatusUnprocessableEntity)
	}
	a.visitor().post("/join", url.Values{"code": {codes[0]}, "name": {"Ola"}, "password": {"a long enough secret"}}).wantRedirect(t, "/rounds")
}

// Wrong codes from many addresses meet the ceiling, which pauses joining for
// everyone without spending anyone's code. Right codes never count.
func TestJoinCeiling(t *testing.T) {
	t.Parallel()
	a := newTestAppWith(t, trustLocalProxy)
	a.srv.joinAll = ratelimit.New(3, time.Hour) // the real one is 100
	ctx := context.Background()
	n, _ := a.store.NeighbourhoodBySlug(ctx, "peckham")
	codes, err := a.store.CreateInvites(ctx, n.ID, 3, timeZero)
	if err != nil {
		t.Fatal(err)
	}
	join := func(addr, code, name string) *response {
		return a.from(addr).post("/join", url.Values{"code": {code}, "name": {name}, "password": {"a long enough secret"}})
	}
	join("203.0.113.1", codes[0], "Ola").wantRedirect(t, "/rounds")
	join("203.0.113.2", codes[0], "Pat").wantStatus(t, http.StatusUnprocessableEntity) // used
	join("203.0.113.3", "ZZZZ-ZZZZ", "Pat").wantStatus(t, http.StatusUnprocessableEntity)
	join("203.0.113.4", codes[1], "Quinn").wantRedirect(t, "/rounds") // a right code gives its try back
	join("203.0.113.5", "ZZZZ-ZZZY", "Pat").wantStatus(t, http.StatusUnprocessableEntity)

	res := join("203.0.113.6", codes[2], "Pat")
	wantTooMany(t, res, time.Hour)
	if msg := res.text(".error-summary"); !strings.Contains(msg, "paused") || !strings.Contains(msg, "has not been used") {
		t.Errorf("message = %q", msg)
	}
	if res.doc.Find("#code").AttrOr("value", "") != codes[2] {
		t.Error("the code typed is not kept")
	}
	a.srv.joinAll.Reset("all") // as time would
	join("203.0.113.6", codes[2], "Pat").wantRedirect(t, "/rounds")
}

func TestUntrustedForwardLoggedOnce(t *testing.T) {
	t.Parallel()
	var log syncBuffer
	a := newTestAppWith(t, func(cfg *Config) {
		cfg.Logger = slog.New(slog.NewTextHandler(&log, nil))
		cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}
	})
	a.visitor().get("/")
	if strings.Contains(log.String(), "trusted-proxies") {
		t.Fatal("warned about a request that named no proxy")
	}
	for range 3 {
		c := a.visitor()
		c.header.Set("X-Forwarded-Proto", "https")
		c.get("/")
	}
	if n := strings.Count(log.String(), "--trusted-proxies"); n != 1 {
		t.Errorf("warned %d times, want once: %s", n, log.String())
	}
}
