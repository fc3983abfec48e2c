package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"wordgarden/server/store"
	"wordgarden/server/wait"
)

// clock is a store clock that tests move on.
type clock struct{ ahead atomic.Int64 }

func (c *clock) now() time.Time              { return time.Now().Add(time.Duration(c.ahead.Load())) }
func (c *clock) forward(d time.Duration)     { c.ahead.Add(int64(d)) }
func (c *clock) option() []store.Option      { return []store.Option{store.WithClock(c.now)} }
func (a *testApp) roundPath(id int64) string { return "/rounds/" + strconv.FormatInt(id, 10) }

// TestNoWritesOnGET: with a round past its closing time and not yet
// counted, every page anyone may GET shows it closed, and none of them
// writes to the database. Only the published results files count it (and
// /healthz, which exists to prove the database takes a write).
func TestNoWritesOnGET(t *testing.T) {
	t.Parallel()
	var clk clock
	a := newTestAppOn(t, clk.option(), nil)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	round := a.openRound(sp.Slug)
	roundPath := a.roundPath(round.ID)
	a.as(a.resident).post(roundPath+"/ballot", map[string][]string{
		"approve": {strconv.FormatInt(round.Candidates[1].ID, 10)}}).wantStatus(t, http.StatusOK)

	clk.forward(8 * 24 * time.Hour) // a day past the closing time
	fill := strings.NewReplacer(":slug", sp.Slug, "*", "style.css")
	writes := map[string]bool{
		"GET /healthz":                 true,
		"GET /rounds/:id/results.json": true,
		"GET /rounds/:id/ballots.json": true,
		"GET /rounds/:id/ballots.csv":  true,
	}
	clients := map[string]*client{
		"visitor": a.visitor(), "resident": a.as(a.resident),
		"partner": a.as(a.voluntary), "facilitator": a.as(a.facilitator),
	}
	before := a.store.Commits()
	for key := range a.srv.rules {
		method, path, _ := strings.Cut(key, " ")
		if method != http.MethodGet || writes[key] {
			continue
		}
		path = fill.Replace(path)
		switch {
		case strings.HasPrefix(path, "/rounds/:id"):
			path = strings.Replace(path, ":id", strconv.FormatInt(round.ID, 10), 1)
		case strings.Contains(path, ":id"):
			path = strings.Replace(path, ":id", strconv.FormatInt(sp.AgreedVersionID, 10), 1)
		}
		for role, c := range clients {
			if res := c.get(path); res.status >= 500 {
				t.Errorf("GET %s as %s: %d", path, role, res.status)
			}
		}
	}
	if after := a.store.Commits(); after != before {
		t.Errorf("GET pages committed %d writes to the database", after-before)
	}

	// Everyone reads it as closed, and nothing counted it.
	for role, c := range clients {
		if got := c.get(roundPath).text("main"); !strings.Contains(got, "This vote has closed.") {
			t.Errorf("the vote's page as %s does not say it has closed: %.300s", role, got)
		}
		if got := c.get(roundPath + "/results").text("main"); !strings.Contains(got, "being counted") {
			t.Errorf("the results page as %s does not say the ballots are being counted: %.300s", role, got)
		}
		if c.get("/terms/"+sp.Slug).doc.Find(`a[href="`+roundPath+`"]`).Length() != 0 {
			t.Errorf("the term page as %s still links to the vote as open", role)
		}
	}
	closes := round.ClosesAt.In(a.srv.loc).Format("2 January 2006")
	if got := a.visitor().get("/rounds").text("main"); !strings.Contains(got, "closed "+closes+" · 1 ballot · being counted") {
		t.Errorf("the list of votes says %q, want the round closed %s and being counted", got, closes)
	}
	if got := a.visitor().get("/api/v1/rounds/" + strconv.FormatInt(round.ID, 10)).body; !strings.Contains(got, `"status":"closed"`) {
		t.Errorf("the API says %s, want the round closed", got)
	}
	if r, _ := a.store.Round(ctx, round.ID); r.Results != nil || !r.Counting {
		t.Fatalf("a page counted the round: %+v", r)
	}

	// A results file counts it.
	res := a.visitor().get(roundPath+"/results.json").wantStatus(t, http.StatusOK)
	if !strings.Contains(res.body, `"ballots":1`) {
		t.Errorf("results.json = %s, want the one ballot counted", res.body)
	}
	if r, _ := a.store.Round(ctx, round.ID); r.Results == nil || !r.ClosedAt.Equal(round.ClosesAt) {
		t.Errorf("after results.json the round is %+v, want it counted, closed at its time", r)
	}
}

// TestRoundTimerCountsOnTime: the timer counts a round whose time is up
// without any page being asked for.
func TestRoundTimerCountsOnTime(t *testing.T) {
	t.Parallel()
	var clk clock
	a := newTestAppOn(t, clk.option(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	round := a.openRound("social-prescribing")
	clk.forward(8 * 24 * time.Hour)
	go func() {
		defer close(done)
		a.srv.CloseRoundsOnTime(ctx)
	}()
	defer func() {
		cancel()
		<-done
	}()
	wait.For(t, 10*time.Second, "the timer to count the round", func() bool {
		r, err := a.store.Round(ctx, round.ID)
		return err == nil && r.Results != nil
	})
}
