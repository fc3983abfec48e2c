package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"wordgarden/server/store"
	"wordgarden/server/store/storetest"
)

// TestLoadRun runs the whole command on a tiny data set for a second per
// scenario: it builds the data set and the server, signs residents in,
// drives every scenario and checks the ballots. It runs on the backend the
// test run is on (storetest), so on PostgreSQL too.
func TestLoadRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run(ctx, []string{"-db", storetest.DSN(t), "-terms", "50", "-ballots", "2000", "-residents", "500", "-rounds", "4",
		"-neighbourhoods", "5", "-duration", "1s", "-connections", "4", "-json"}, &stdout, &stderr)
	t.Logf("ran in %s; progress:\n%s", time.Since(start).Round(time.Millisecond), stderr.String())
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	var rep struct {
		Scenarios []struct {
			Name   string  `json:"name"`
			RPS    float64 `json:"rps"`
			P50MS  float64 `json:"p50_ms"`
			P99MS  float64 `json:"p99_ms"`
			Errors int     `json:"errors"`
			Ratio  float64 `json:"ratio"`
		} `json:"scenarios"`
		Backend     string  `json:"backend"`
		PeakRSSMB   float64 `json:"peak_rss_mb"`
		LostBallots *int    `json:"lost_ballots"`
		StartupMS   float64 `json:"startup_ms"`
		Ballots     struct {
			AcknowledgedNew int `json:"acknowledged_new"`
			Stored          int `json:"stored"`
			Stale           int `json:"stale"`
		} `json:"ballots"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout.String())
	}
	if want := map[bool]string{false: "sqlite", true: "postgres"}[storetest.Postgres()]; rep.Backend != want {
		t.Errorf("backend %q, want %q", rep.Backend, want)
	}
	var names []string
	for _, s := range rep.Scenarios {
		names = append(names, s.Name)
		if s.RPS <= 0 || s.Errors != 0 || s.P50MS <= 0 || s.P99MS < s.P50MS || s.Ratio <= 0 {
			t.Errorf("scenario %+v: want rps > 0, no errors, 0 < p50 <= p99, ratio > 0", s)
		}
	}
	want := append([]string{"baseline"}, allScenarios...)
	if !slices.Equal(names, want) {
		t.Errorf("scenarios %v, want %v", names, want)
	}
	if rep.LostBallots == nil || *rep.LostBallots != 0 {
		t.Errorf("lost_ballots = %v, want 0", rep.LostBallots)
	}
	if rep.Ballots.AcknowledgedNew == 0 || rep.Ballots.Stored != rep.Ballots.AcknowledgedNew || rep.Ballots.Stale != 0 {
		t.Errorf("ballots %+v: want some acknowledged, all of them stored, none stale", rep.Ballots)
	}
	if rep.PeakRSSMB <= 0 || rep.StartupMS <= 0 {
		t.Errorf("peak_rss_mb %v, startup_ms %v: want both measured", rep.PeakRSSMB, rep.StartupMS)
	}
}

// TestFlags: scripts rely on these flags.
func TestFlags(t *testing.T) {
	var stderr bytes.Buffer
	o, err := parseFlags([]string{"-duration", "3s", "-connections", "8", "-scenarios", "term-anon,ballot,baseline",
		"-terms", "100", "-ballots", "500", "-json"}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if o.duration != 3*time.Second || o.connections != 8 || !o.json || o.data.Terms != 100 || o.data.Ballots != 500 ||
		!slices.Equal(o.scenarios, []string{"term-anon", "ballot"}) {
		t.Errorf("parsed %+v", o)
	}
	for _, bad := range [][]string{{"-scenarios", "nope"}, {"-keep"}, {"-terms", "5"}, {"-connections", "0"}, {"extra"}} {
		if _, err := parseFlags(bad, &stderr); err == nil {
			t.Errorf("parseFlags(%q) took it", bad)
		}
	}
}

// TestReceipts are distinct and shaped as the store makes them.
func TestReceipts(t *testing.T) {
	seen := map[string]bool{}
	for n := range int64(100000) {
		r := receipt(n)
		if len(r) != 11 || r[5] != '-' || seen[r] {
			t.Fatalf("receipt(%d) = %q (seen before: %v)", n, r, seen[r])
		}
		seen[r] = true
	}
	if got := approvalMarks([]int64{15, 12}); got != "[12,15]" {
		t.Errorf("approvalMarks = %s, want [12,15]", got)
	}
}

// TestDatasetKeptOrRemoved: a data set this command built is reused with
// -keep and removed without it; any other database is refused and left as
// it was.
func TestDatasetKeptOrRemoved(t *testing.T) {
	ctx := context.Background()
	dsn := storetest.DSN(t)
	var stderr bytes.Buffer
	tiny := []string{"-terms", "20", "-ballots", "100", "-residents", "50", "-rounds", "2", "-neighbourhoods", "2"}
	if code := run(ctx, append([]string{"-db", dsn, "-build-only"}, tiny...), io.Discard, &stderr); code != 0 {
		t.Fatalf("-build-only: exit code %d\n%s", code, stderr.String())
	}
	p, reused, err := existingDataset(ctx, dsn, true)
	if err != nil || !reused || p.Terms != 20 || p.Ballots != 100 || p.Residents != 50 {
		t.Fatalf("existingDataset with keep = %+v, %v, %v; want the data set reused", p, reused, err)
	}
	if _, reused, err := existingDataset(ctx, dsn, false); err != nil || reused {
		t.Fatalf("existingDataset without keep = %v, %v; want it removed", reused, err)
	}
	if empty, err := isEmpty(ctx, dsn); err != nil || !empty {
		t.Errorf("after removing the data set: empty = %v, %v", empty, err)
	}

	// A wordgarden database of someone's.
	other := storetest.DSN(t)
	st, err := store.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	_, _, err = existingDataset(ctx, other, false)
	if err == nil || !strings.Contains(err.Error(), "is not a finished wordgarden-load data set") {
		t.Errorf("existingDataset on another database: %v, want a refusal", err)
	}
	if empty, err := isEmpty(ctx, other); err != nil || empty {
		t.Errorf("the refused database: empty = %v, %v; want it left as it was", empty, err)
	}
}
