package main

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// report is everything a load run found; -json prints it as is.
type report struct {
	Scenarios []scenarioReport `json:"scenarios"`
	// BaselineRuns are the two baseline runs, first and last; the
	// "baseline" scenario is their mean.
	BaselineRuns []scenarioReport `json:"baseline_runs"`
	// PeakRSSMB is the server's peak resident memory over the whole run
	// (VmHWM), in MB.
	PeakRSSMB float64 `json:"peak_rss_mb"`
	// LostBallots counts new ballots acknowledged with a 2xx that are not
	// stored; 0 when the ballot scenario did not run.
	LostBallots    int           `json:"lost_ballots"`
	Ballots        *ballotCheck  `json:"ballots,omitempty"`
	StartupMS      float64       `json:"startup_ms"`
	DatasetSeconds float64       `json:"dataset_seconds"` // 0 when reused
	DatasetReused  bool          `json:"dataset_reused"`
	Dataset        datasetParams `json:"dataset"`
	// Backend is the database the server ran on: "sqlite" or "postgres".
	// On PostgreSQL, the memory and CPU figures are wordgarden's alone:
	// the database's own processes are not counted.
	Backend string `json:"backend"`
	// Popularity is how term pages are chosen: "zipf" or "uniform".
	Popularity    string     `json:"popularity"`
	Duration      string     `json:"duration"`
	Connections   int        `json:"connections"`
	CPUs          int        `json:"cpus"`
	ServerLog     logSummary `json:"server_log"`
	ServerLogPath string     `json:"server_log_path,omitempty"`
}

var backendNames = map[string]string{"sqlite": "SQLite", "postgres": "PostgreSQL"}

// scenarioReport is one scenario's line.
type scenarioReport struct {
	Name     string  `json:"name"`
	RPS      float64 `json:"rps"`
	P50MS    float64 `json:"p50_ms"`
	P99MS    float64 `json:"p99_ms"`
	Errors   int     `json:"errors"`
	Ratio    float64 `json:"ratio"`
	Requests int     `json:"requests"`
	MaxMS    float64 `json:"max_ms"`
	RSSMB    float64 `json:"rss_mb"` // the server's resident memory just after
	// CPU time per request, in ms, of the server and of the load generator:
	// what a request costs, whatever else the machine was doing.
	ServerCPUMS float64 `json:"server_cpu_ms_per_request"`
	LoadCPUMS   float64 `json:"load_cpu_ms_per_request"`
	// ServerCPUShare is the server's CPU use over the run, in cores.
	ServerCores float64        `json:"server_cores"`
	Statuses    map[string]int `json:"statuses"`
	ErrorKinds  map[string]int `json:"error_kinds,omitempty"`
}

func newScenarioReport(r measured) scenarioReport {
	s := scenarioReport{Name: r.name, RPS: round(r.rps(), 1), P50MS: round(r.percentile(50), 3),
		P99MS: round(r.percentile(99), 3), Errors: r.errors, Requests: r.requests, RSSMB: round(r.rssMB, 1),
		Statuses: map[string]int{}}
	if r.requests > 0 {
		s.ServerCPUMS = round(float64(r.serverCPU)/1e6/float64(r.requests), 3)
		s.LoadCPUMS = round(float64(r.loadCPU)/1e6/float64(r.requests), 3)
	}
	if r.elapsed > 0 {
		s.ServerCores = round(r.serverCPU.Seconds()/r.elapsed.Seconds(), 2)
	}
	if len(r.lat) > 0 {
		s.MaxMS = round(float64(r.lat[len(r.lat)-1])/1e6, 3)
	}
	for k, v := range r.statuses {
		s.Statuses[strconv.Itoa(k)] = v
	}
	if len(r.kinds) > 0 {
		s.ErrorKinds = r.kinds
	}
	return s
}

func round(x float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// fill makes the scenario lines from the runs, whose first and last are
// the baselines.
func (rep *report) fill(runs []measured) {
	first, last := runs[0], runs[len(runs)-1]
	both := measured{name: "baseline", requests: first.requests + last.requests, errors: first.errors + last.errors,
		elapsed: first.elapsed + last.elapsed, statuses: map[int]int{}, kinds: map[string]int{}, rssMB: last.rssMB,
		serverCPU: first.serverCPU + last.serverCPU, loadCPU: first.loadCPU + last.loadCPU}
	both.lat = slices.Sorted(slices.Values(append(slices.Clone(first.lat), last.lat...)))
	for _, r := range []measured{first, last} {
		for k, v := range r.statuses {
			both.statuses[k] += v
		}
		maps.Copy(both.kinds, r.kinds)
	}
	base := newScenarioReport(both)
	base.RPS = round((first.rps()+last.rps())/2, 1)
	base.Ratio = 1
	rep.BaselineRuns = []scenarioReport{newScenarioReport(first), newScenarioReport(last)}
	for i := range rep.BaselineRuns {
		rep.BaselineRuns[i].Ratio = round(rep.BaselineRuns[i].RPS/base.RPS, 3)
	}
	rep.Scenarios = []scenarioReport{base}
	for _, r := range runs[1 : len(runs)-1] {
		s := newScenarioReport(r)
		if base.RPS > 0 {
			s.Ratio = round(s.RPS/base.RPS, 3)
		}
		rep.Scenarios = append(rep.Scenarios, s)
	}
}

// target is what issue 5 asks of a scenario, and whether this run met it.
func (rep *report) target(s scenarioReport) (string, bool) {
	switch s.Name {
	case "term-anon", "home", "api-term":
		return ">=0.6x, p99<=25ms", s.Ratio >= 0.6 && s.P99MS <= 25
	case "term-signed-in":
		return ">=0.25x", s.Ratio >= 0.25
	case "search":
		return ">=0.2x", s.Ratio >= 0.2
	case "ballot":
		ok := s.P99MS <= 100 && s.Errors == 0
		if b := rep.Ballots; b != nil {
			ok = ok && b.AcknowledgedPerS >= 1500 && b.Lost == 0 && b.Stale == 0
		}
		return ">=1500 acked/s, p99<=100ms, 0 lost", ok
	}
	return "", true
}

// printTable prints the report for people.
func printTable(w io.Writer, rep *report) {
	fmt.Fprintf(w, "\nwordgarden on %s under load: %d connections, %s per scenario, %d CPUs shared by server and load, terms read by %s popularity\n",
		backendNames[rep.Backend], rep.Connections, rep.Duration, rep.CPUs, rep.Popularity)
	if rep.Backend == "postgres" {
		fmt.Fprintln(w, "(the server's memory and CPU below are wordgarden's alone; PostgreSQL's processes share the CPUs too)")
	}
	d := rep.Dataset
	if rep.DatasetReused {
		fmt.Fprintf(w, "data set: reused: %d terms, %d residents, %d closed rounds, %d ballots\n",
			d.Terms, d.Residents, d.Rounds, d.Ballots)
	} else {
		fmt.Fprintf(w, "data set: %d terms, %d residents, %d closed rounds, %d ballots, built in %.1f s\n",
			d.Terms, d.Residents, d.Rounds, d.Ballots, rep.DatasetSeconds)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-15s %10s %9s %9s %7s %8s %12s  %-34s %s\n", "scenario", "requests/s", "p50 ms", "p99 ms", "errors", "ratio",
		"server cpu/req", "target", "")
	for _, s := range rep.Scenarios {
		tgt, ok := rep.target(s)
		verdict := ""
		if tgt != "" {
			verdict = "met"
			if !ok {
				verdict = "MISSED"
			}
		}
		fmt.Fprintf(w, "%-15s %10.0f %9.2f %9.2f %7d %7.2fx %11.2fms  %-34s %s\n", s.Name, s.RPS, s.P50MS, s.P99MS, s.Errors, s.Ratio,
			s.ServerCPUMS, tgt, verdict)
	}
	b := rep.BaselineRuns
	fmt.Fprintf(w, "\nbaseline: %.0f/s first, %.0f/s last (the ratio is to their mean)\n", b[0].RPS, b[1].RPS)
	fmt.Fprintf(w, "server peak resident memory: %.1f MB (target <= 96 MB: %s)\n", rep.PeakRSSMB, metIf(rep.PeakRSSMB <= 96))
	fmt.Fprintf(w, "start-up to the first page: %.0f ms (target < 1000 ms: %s)\n", rep.StartupMS, metIf(rep.StartupMS < 1000))
	if c := rep.Ballots; c != nil {
		fmt.Fprintf(w, "ballots: %d new and %d changes acknowledged (%.0f/s); %d stored; lost_ballots %d; stale %d; stored but unacknowledged %d\n",
			c.AcknowledgedNew, c.AcknowledgedChanges, c.AcknowledgedPerS, c.Stored, c.Lost, c.Stale, c.Unacknowledged)
	}
	for _, s := range rep.Scenarios {
		if len(s.ErrorKinds) > 0 {
			keys := slices.Sorted(maps.Keys(s.ErrorKinds))
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s ×%d", k, s.ErrorKinds[k]))
			}
			fmt.Fprintf(w, "errors in %s: %s\n", s.Name, strings.Join(parts, ", "))
		}
	}
	l := rep.ServerLog
	fmt.Fprintf(w, "server log: %d lines, %d errors, %d warnings, %d answers 5xx\n", l.Lines, l.Errors, l.Warnings, l.Status5xx)
	for _, s := range l.Samples {
		fmt.Fprintf(w, "  %s\n", s)
	}
}

func metIf(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
