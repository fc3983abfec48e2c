package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// searches are what people type: common words, prefixes, two words.
var searches = []string{"care", "heal", "comm", "neigh work", "social prescribing", "support",
	"mental health", "hub", "navig", "youth", "housing", "carer", "link", "gp", "pharm", "well",
	"family", "local groups", "plan", "food"}

// resident is a signed-in resident the load run may act as.
type resident struct {
	id     int64
	name   string
	cookie string // "wordgarden=..." for the Cookie header
}

// target is the running server and what the data set holds.
type target struct {
	base       string
	slugs      []string   // by popularity, most read first
	uniform    bool       // read every term as often as any other, not by popularity
	residents  []resident // in random order
	roundID    int64      // the open round
	candidates []int64
}

// scenario is one kind of traffic: step makes one request.
type scenario struct {
	name string
	step func(w *worker)
}

func scenarioNamed(name string, t *target, b *ballotBox) scenario {
	get := func(path func(w *worker) string, signedIn bool) func(w *worker) {
		return func(w *worker) {
			req, _ := http.NewRequest(http.MethodGet, t.base+path(w), nil)
			if signedIn {
				w.signedIn(req)
			}
			status, _ := w.do(req)
			w.okIf(status >= 200 && status < 400, status)
		}
	}
	slug := func(w *worker) string { return t.slugs[w.pickTerm()] }
	switch name {
	case "baseline":
		return scenario{name, get(func(*worker) string { return "/_load/baseline" }, false)}
	case "term-anon":
		return scenario{name, get(func(w *worker) string { return "/terms/" + slug(w) }, false)}
	case "term-signed-in":
		return scenario{name, get(func(w *worker) string { return "/terms/" + slug(w) }, true)}
	case "home":
		return scenario{name, get(func(*worker) string { return "/" }, false)}
	case "search":
		return scenario{name, get(func(w *worker) string {
			return "/search?q=" + url.QueryEscape(searches[w.rng.IntN(len(searches))])
		}, false)}
	case "api-term":
		return scenario{name, get(func(w *worker) string { return "/api/v1/terms/" + slug(w) }, false)}
	case "ballot":
		return scenario{name, b.step}
	}
	panic("unknown scenario " + name)
}

// worker is one client: one connection, one goroutine, requests one after
// another.
type worker struct {
	t      *target
	rng    *rand.Rand
	zipf   *rand.Zipf
	client *http.Client
	csrf   string // the _csrf cookie the server gave this client, sent back like a browser
	// signed-in browsing: the resident this client is, for a while
	who, left int
	// what it measured
	lat      []time.Duration
	errors   int
	statuses map[int]int
	kinds    map[string]int
	live     *atomic.Int64 // requests so far, for the progress line
	liveErrs *atomic.Int64
	// ballots
	ballots *ballotWorker
}

// zipfS is the exponent of term popularity: the most read term is read
// about 2^1.1 times as often as the second, 3^1.1 as the third, and so on.
const zipfS = 1.1

// pickTerm chooses the term to read next, by popularity (Zipf): a few terms
// are read very often and most seldom, as on any wiki. With -popularity
// uniform every term is as likely.
func (w *worker) pickTerm() int {
	if w.t.uniform || len(w.t.slugs) < 2 {
		return w.rng.IntN(len(w.t.slugs))
	}
	if w.zipf == nil {
		w.zipf = rand.NewZipf(w.rng, zipfS, 1, uint64(len(w.t.slugs)-1))
	}
	return int(w.zipf.Uint64())
}

// signedIn adds a resident's session cookie, changing resident now and then.
func (w *worker) signedIn(req *http.Request) {
	if w.left == 0 {
		w.who, w.left = w.rng.IntN(len(w.t.residents)), 20
	}
	w.left--
	w.cookie(req, w.t.residents[w.who].cookie)
}

// cookie sets the Cookie header: the session, if any, and the CSRF cookie.
func (w *worker) cookie(req *http.Request, session string) {
	var parts []string
	if session != "" {
		parts = append(parts, session)
	}
	if w.csrf != "" {
		parts = append(parts, "_csrf="+w.csrf)
	}
	if len(parts) > 0 {
		req.Header.Set("Cookie", strings.Join(parts, "; "))
	}
}

// do sends a request, reads the whole answer and records its latency.
func (w *worker) do(req *http.Request) (int, error) {
	if w.csrf != "" && req.Header.Get("Cookie") == "" {
		w.cookie(req, "")
	}
	// As every browser does. The body is read as sent, not unzipped: the
	// load is the server's to carry, as with wrk.
	req.Header.Set("Accept-Encoding", "gzip")
	start := time.Now()
	res, err := w.client.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	w.lat = append(w.lat, time.Since(start))
	w.live.Add(1)
	if err != nil {
		w.fail("transport: " + shortErr(err))
		return 0, err
	}
	w.statuses[res.StatusCode]++
	if w.csrf == "" {
		for _, c := range res.Cookies() {
			if c.Name == "_csrf" && c.MaxAge >= 0 {
				w.csrf = c.Value
			}
		}
	}
	return res.StatusCode, nil
}

// okIf counts an error unless ok; status 0 was a transport error, already
// counted.
func (w *worker) okIf(ok bool, status int) {
	if !ok && status != 0 {
		w.fail("status " + strconv.Itoa(status))
	}
}

func (w *worker) fail(kind string) {
	w.errors++
	w.liveErrs.Add(1)
	w.kinds[kind]++
}

// shortErr keeps an error message short enough to group by.
func shortErr(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return s
}

// measured is what one scenario measured.
type measured struct {
	name     string
	requests int
	errors   int
	elapsed  time.Duration
	lat      []time.Duration // sorted
	statuses map[int]int
	kinds    map[string]int
	rssMB    float64 // the server's resident memory just after
	// CPU time used meanwhile by the server and by this load generator
	serverCPU, loadCPU time.Duration
}

func (r measured) rps() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// percentile returns the p-th percentile latency, in milliseconds.
func (r measured) percentile(p float64) float64 {
	if len(r.lat) == 0 {
		return 0
	}
	i := int(float64(len(r.lat))*p/100+0.5) - 1
	i = min(max(i, 0), len(r.lat)-1)
	return float64(r.lat[i]) / 1e6
}

// drive runs a scenario with n clients for d, showing progress on stderr.
func drive(ctx context.Context, sc scenario, t *target, client *http.Client, n int, d time.Duration,
	b *ballotBox, stderr io.Writer) measured {
	runtime.GC() // the last scenario's garbage is not this one's cost
	tty := isTerminal(stderr)
	var live, liveErrs atomic.Int64
	workers := make([]*worker, n)
	for i := range workers {
		workers[i] = &worker{t: t, rng: rand.New(rand.NewPCG(uint64(i), uint64(time.Now().UnixNano()))),
			client: client, lat: make([]time.Duration, 0, 4096), statuses: map[int]int{}, kinds: map[string]int{},
			live: &live, liveErrs: &liveErrs}
		if b != nil {
			workers[i].ballots = b.worker()
		}
	}
	start := time.Now()
	deadline := start.Add(d)
	stopProgress := make(chan struct{})
	var pwg sync.WaitGroup
	pwg.Go(func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-stopProgress:
				return
			case <-tick.C:
				el := time.Since(start).Seconds()
				line := fmt.Sprintf("%-15s %3.0fs/%.0fs %9d requests %8.0f/s %6d errors",
					sc.name, el, d.Seconds(), live.Load(), float64(live.Load())/el, liveErrs.Load())
				switch {
				case tty:
					fmt.Fprint(stderr, "\r"+line+" ")
				case int(el)%5 == 0:
					// A log, not a terminal: a whole line now and then.
					fmt.Fprintln(stderr, line)
				}
			}
		}
	})
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			for time.Now().Before(deadline) && ctx.Err() == nil {
				sc.step(w)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stopProgress)
	pwg.Wait()
	r := measured{name: sc.name, elapsed: elapsed, statuses: map[int]int{}, kinds: map[string]int{}}
	for _, w := range workers {
		r.requests += len(w.lat)
		r.errors += w.errors
		r.lat = append(r.lat, w.lat...)
		for k, v := range w.statuses {
			r.statuses[k] += v
		}
		for k, v := range w.kinds {
			r.kinds[k] += v
		}
	}
	slices.Sort(r.lat)
	if tty {
		fmt.Fprint(stderr, "\r\033[K")
	}
	fmt.Fprintf(stderr, "%-15s %9d requests in %.1fs: %8.0f/s, p50 %.2f ms, p99 %.2f ms, %d errors\n",
		sc.name, r.requests, elapsed.Seconds(), r.rps(), r.percentile(50), r.percentile(99), r.errors)
	return r
}

// ballotBox hands voters to the ballot scenario's clients and remembers
// every ballot the server acknowledged, to check against the database.
type ballotBox struct {
	t       *target
	next    atomic.Int64 // the next resident who has not voted
	mu      sync.Mutex
	workers []*ballotWorker
}

// ballotWorker is one client's voters.
type ballotWorker struct {
	box *ballotBox
	// voters whose first ballot was acknowledged, and may change it
	mine []int
	// the last marks acknowledged for each voter, as the store encodes them
	last map[int]string
	// voters whose stored ballot is not known: a request failed
	unsure map[int]bool
	// new voters acknowledged, and changes acknowledged
	newAcked, changesAcked int
}

func (b *ballotBox) worker() *ballotWorker {
	bw := &ballotWorker{box: b, last: map[int]string{}, unsure: map[int]bool{}}
	b.mu.Lock()
	b.workers = append(b.workers, bw)
	b.mu.Unlock()
	return bw
}

// step casts one ballot: a new voter's first, or (one time in four, and
// always once every resident has voted) a change of one this client cast.
func (b *ballotBox) step(w *worker) {
	bw := w.ballots
	var voter int
	isNew := false
	if len(bw.mine) > 0 && (w.rng.IntN(4) == 0 || b.next.Load() >= int64(len(b.t.residents))) {
		voter = bw.mine[w.rng.IntN(len(bw.mine))]
	} else {
		v := b.next.Add(1) - 1
		if v >= int64(len(b.t.residents)) {
			// Every resident has voted and this client has no voter of
			// its own yet: nothing it may do. Wait, as a client would.
			time.Sleep(10 * time.Millisecond)
			return
		}
		voter, isNew = int(v), true
	}
	// Tick one to all four wordings.
	var ids []int64
	for len(ids) == 0 {
		for _, c := range b.t.candidates {
			if w.rng.IntN(2) == 0 {
				ids = append(ids, c)
			}
		}
	}
	form := url.Values{}
	for _, id := range ids {
		form.Add("approve", strconv.FormatInt(id, 10))
	}
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/rounds/%d/ballot", b.t.base, b.t.roundID),
		strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// What a browser sends with a form from the same site; the server's
	// CSRF check takes it instead of a token.
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("Origin", b.t.base)
	w.cookie(req, b.t.residents[voter].cookie)
	status, _ := w.do(req)
	ok := status >= 200 && status < 300
	w.okIf(ok, status)
	switch {
	case ok && isNew:
		bw.newAcked++
		bw.mine = append(bw.mine, voter)
		bw.last[voter] = approvalMarks(ids)
	case ok:
		bw.changesAcked++
		bw.last[voter] = approvalMarks(ids)
	default:
		// Stored or not, nobody was told: neither lost nor checkable.
		bw.unsure[voter] = true
	}
}

// ballotCheck compares what the server acknowledged with what it stored.
type ballotCheck struct {
	AcknowledgedNew     int     `json:"acknowledged_new"`
	AcknowledgedChanges int     `json:"acknowledged_changes"`
	AcknowledgedPerS    float64 `json:"acknowledged_per_s"`
	Stored              int     `json:"stored"`
	// Lost: acknowledged new voters with no ballot stored.
	Lost int `json:"lost"`
	// Stale: voters whose stored marks are not the last ones acknowledged.
	Stale int `json:"stale"`
	// Unacknowledged: stored ballots of voters who were never told
	// (their request failed); not lost, not wrong.
	Unacknowledged int `json:"unacknowledged_stored"`
}

// check compares the acknowledged ballots with stored, the open round's
// ballots by resident index.
func (b *ballotBox) check(stored map[int]string, elapsed time.Duration) ballotCheck {
	var c ballotCheck
	c.Stored = len(stored)
	acked := map[int]bool{}
	for _, bw := range b.workers {
		c.AcknowledgedNew += bw.newAcked
		c.AcknowledgedChanges += bw.changesAcked
		for _, v := range bw.mine {
			acked[v] = true
			got, ok := stored[v]
			switch {
			case !ok:
				c.Lost++
			case !bw.unsure[v] && got != bw.last[v]:
				c.Stale++
			}
		}
	}
	for v := range stored {
		if !acked[v] {
			c.Unacknowledged++
		}
	}
	if elapsed > 0 {
		c.AcknowledgedPerS = float64(c.AcknowledgedNew+c.AcknowledgedChanges) / elapsed.Seconds()
	}
	return c
}

// isTerminal reports whether w is a terminal, where a progress line can
// be rewritten in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
