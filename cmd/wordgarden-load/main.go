// Command wordgarden-load measures how fast wordgarden serves a whole
// borough, and checks that it loses no ballot while doing so.
//
// It builds a realistic data set in a fresh database (by default 10,000
// terms of 3 versions each with wiki links between them, 20 neighbourhoods,
// 50,000 residents, 100 closed rounds holding 1,000,000 ballots, and one
// open round) on SQLite or, with -db postgres://..., PostgreSQL, starts wordgarden on it as a child process with
// --load-testing, signs residents in by writing their sessions straight into
// the database, and drives each scenario with many concurrent clients for a
// while. Every scenario is set beside the baseline, a fixed 6 KB page served
// through the same middleware and measured in the same run (first and last),
// because these machines are shared and noisy: ratios compare, bare times do
// not.
//
//	wordgarden-load [-duration 10s] [-connections 64] [-scenarios term-anon,ballot]
//	                [-terms 10000] [-ballots 1000000] [-residents 50000] [-rounds 100]
//	                [-db PATH|URL [-keep | -build-only]] [-bin PATH] [-json]
//
// Run it from inside the wordgarden module (it builds the server with
// go build -tags sqlite_fts5), or give -bin.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"
)

const usageText = `wordgarden-load builds a big wordgarden data set, serves it and measures it.

Usage:
  wordgarden-load [flags]

It prints a table (or, with -json, one JSON object) of requests/s, p50 and
p99 latency, errors and the ratio to the baseline scenario for every
scenario, the server's peak resident memory, its start-up time and, for the
ballot scenario, lost_ballots: acknowledged new ballots that are not stored.
Progress goes to standard error.

Scenarios (baseline always runs first and last):
  term-anon       term pages, signed out; terms are read by popularity
                  (Zipf, s=1.1, over a random order), or all alike with
                  -popularity uniform
  term-signed-in  term pages, signed in as residents
  home            the home page, signed out
  search          searches for common words and prefixes, signed out
  api-term        GET /api/v1/terms/SLUG
  ballot          distinct residents casting and changing ballots in the open round

Flags:
`

// allScenarios is every scenario, in the order they run.
var allScenarios = []string{"term-anon", "term-signed-in", "home", "search", "api-term", "ballot"}

// options are the command's flags.
type options struct {
	data        datasetParams
	db          string
	keep        bool
	bin         string
	duration    time.Duration
	connections int
	scenarios   []string
	json        bool
	serverLog   string
	buildOnly   bool
	uniform     bool
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command and returns its exit code: 0 measured, 1 failed, 2
// used wrongly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "wordgarden-load:", err)
		return 2
	}
	if opts.buildOnly {
		if _, _, err := existingDataset(ctx, opts.db, false); err != nil {
			fmt.Fprintln(stderr, "wordgarden-load:", err)
			return 1
		}
		if _, err := buildDataset(ctx, opts.db, opts.data, stderr); err != nil {
			fmt.Fprintln(stderr, "wordgarden-load:", err)
			return 1
		}
		return 0
	}
	rep, err := measure(ctx, opts, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "wordgarden-load:", err)
		return 1
	}
	if opts.json {
		printTable(stderr, rep) // for whoever watches; stdout is for scripts
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "wordgarden-load:", err)
			return 1
		}
		return 0
	}
	printTable(stdout, rep)
	return 0
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("wordgarden-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usageText)
		fs.PrintDefaults()
	}
	fs.IntVar(&o.data.Terms, "terms", 10000, "terms in the data set (3 versions each)")
	fs.IntVar(&o.data.Ballots, "ballots", 1000000, "ballots in the closed rounds, in all")
	fs.IntVar(&o.data.Residents, "residents", 50000, "residents in the data set")
	fs.IntVar(&o.data.Rounds, "rounds", 100, "closed rounds in the data set")
	fs.IntVar(&o.data.Neighbourhoods, "neighbourhoods", 20, "neighbourhoods in the data set")
	var seed uint
	fs.UintVar(&seed, "seed", 1, "seed of the data set's random choices")
	fs.StringVar(&o.db, "db", "", "the database: a SQLite file's `PATH` or a postgres:// URL whose schema is empty or holds a data set\n(default: a new temporary SQLite file, removed afterwards)")
	fs.BoolVar(&o.keep, "keep", false, "keep the -db data set, and reuse it if it exists instead of building it again")
	fs.StringVar(&o.bin, "bin", "", "wordgarden binary to run (default: go build -tags sqlite_fts5 wordgarden/cmd/wordgarden)")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to drive each scenario")
	fs.IntVar(&o.connections, "connections", 64, "concurrent clients, each on its own keep-alive connection")
	popularity := fs.String("popularity", "zipf", "how term pages are chosen: zipf (a few terms read often, most seldom) or uniform")
	scen := fs.String("scenarios", "all", "comma-separated `LIST` of scenarios to run: "+strings.Join(allScenarios, ","))
	fs.BoolVar(&o.json, "json", false, "print one JSON object on standard output; the table goes to standard error")
	fs.BoolVar(&o.buildOnly, "build-only", false, "build the -db data set and stop, to measure it later with -keep")
	fs.StringVar(&o.serverLog, "server-log", "", "keep the server's log at `PATH` (default: a temporary file, removed)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.data.Seed = uint64(seed)
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["rounds"] && o.data.Rounds > o.data.Terms/2 {
		// A small data set: a vote on every other term at most.
		o.data.Rounds = o.data.Terms / 2
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q: everything is a flag (see -h)", fs.Args())
	}
	if err := o.data.check(); err != nil {
		return o, err
	}
	if o.duration <= 0 {
		return o, errors.New("-duration must be positive")
	}
	if o.connections < 1 || o.connections > 10000 {
		return o, errors.New("-connections must be between 1 and 10000")
	}
	if o.keep && o.db == "" {
		return o, errors.New("-keep needs -db: a temporary data set is never kept")
	}
	switch *popularity {
	case "zipf":
	case "uniform":
		o.uniform = true
	default:
		return o, fmt.Errorf("-popularity %q: choose zipf or uniform", *popularity)
	}
	if o.buildOnly && (o.db == "" || o.keep) {
		return o, errors.New("-build-only needs -db, and builds it afresh: leave out -keep")
	}
	if *scen == "all" || *scen == "" {
		o.scenarios = allScenarios
	} else {
		for _, s := range strings.Split(*scen, ",") {
			s = strings.TrimSpace(s)
			switch {
			case s == "baseline" || s == "":
				// Always runs, first and last.
			case !slices.Contains(allScenarios, s):
				return o, fmt.Errorf("unknown scenario %q; choose from %s", s, strings.Join(allScenarios, ","))
			case !slices.Contains(o.scenarios, s):
				o.scenarios = append(o.scenarios, s)
			}
		}
	}
	return o, nil
}
