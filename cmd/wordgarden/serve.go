package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"wordgarden"
	"wordgarden/server"
	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/termfile"
	"wordgarden/server/version"
)

// newLogger makes the server's logger: text for people (the default), or
// JSON, one object a line, for log collectors.
func newLogger(format string, w io.Writer) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usageError(fmt.Sprintf("--log-format is text or json, not %q", format))
}

// serve runs the site until SIGINT or SIGTERM, then lets requests in flight finish.
func serve(args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("serve", stderr, &db)
	addr := fs.String("addr", envOr("WORDGARDEN_ADDR", "127.0.0.1:8080"), "`HOST:PORT` to serve on")
	demo := fs.Bool("demo", false, "fill a new database with demo people and votes")
	commentsPerMinute := fs.Int("comments-per-minute", 5, "how many comments one person may post in a minute")
	loadTesting := fs.Bool("load-testing", false, "serve /_load/baseline, the fixed page load runs compare against")
	pub := publishFlags(fs)
	logFormat := fs.String("log-format", "text", "log lines as `text` or json")
	metricsAllow := fs.String("metrics-allow", "127.0.0.0/8,::1/128", "address ranges (`CIDR[,CIDR]`) that may read /metrics")
	trustedProxies := fs.String("trusted-proxies", envOr("WORDGARDEN_TRUSTED_PROXIES", ""),
		"address ranges (`CIDR[,CIDR]`) of the proxies in front of the server, whose X-Forwarded-For and X-Forwarded-Proto are believed (default none)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("serve takes no arguments, only flags")
	}
	site, licence, err := pub.check(false)
	if err != nil {
		return err
	}
	if *commentsPerMinute < 1 {
		return usageError("--comments-per-minute must be 1 or more")
	}
	logger, err := newLogger(*logFormat, stderr)
	if err != nil {
		return err
	}
	allow, err := server.ParseCIDRs(*metricsAllow)
	if err != nil {
		return usageError("--metrics-allow: " + err.Error())
	}
	var trusted []netip.Prefix
	if *trustedProxies != "" {
		if trusted, err = server.ParseCIDRs(*trustedProxies); err != nil {
			return usageError("--trusted-proxies: " + err.Error())
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A soft memory limit makes the garbage collector keep the heap, and so
	// the server's resident memory, small under load; GOMEMLIMIT overrides it.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}

	st, err := store.Open(db)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := loadStarter(ctx, st, stdout); err != nil {
		return err
	}
	if *demo {
		if err := loadDemo(ctx, st, stdout); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	key, err := sessionKey(ctx, st)
	if err != nil {
		return err
	}
	srv, err := server.New(server.Config{Store: st, SessionKey: key, Logger: logger, LoadTesting: *loadTesting,
		SiteURL: site, Licence: licence, CommentsPerMinute: *commentsPerMinute, MetricsAllow: allow,
		TrustedProxies: trusted})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	shown := store.Redact(db)
	fmt.Fprintf(stdout, "wordgarden is serving http://%s/ from %s\n", ln.Addr(), shown)
	if n, err := st.CountUsers(ctx, model.Facilitator); err == nil && n == 0 {
		fmt.Fprintf(stdout, "There is no facilitator yet. Make one with:\n  wordgarden user add --db %s --role facilitator --email you@example.org --name \"Your Name\"\n", shown)
	}
	logger.Info("serving", "addr", ln.Addr().String(), "db", shown, "version", version.String())

	// The round timer stops with ctx, and the store is closed only after
	// it has: a count in progress finishes or rolls back first.
	timerCtx, stopTimer := context.WithCancel(ctx)
	timer := make(chan struct{})
	go func() {
		defer close(timer)
		srv.CloseRoundsOnTime(timerCtx)
	}()
	defer func() {
		stopTimer()
		<-timer
	}()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "wordgarden is stopping")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveMemoryLimit is the server's soft memory limit: the caches are
// bounded well below it (server/cache.go), and SQLite's page caches add a
// few megabytes more.
const serveMemoryLimit = 64 << 20

// loadStarter fills an empty database with the starter glossary.
func loadStarter(ctx context.Context, st *store.Store, stdout io.Writer) error {
	n, err := st.CountTerms(ctx)
	if err != nil || n > 0 {
		return err
	}
	files, err := termfile.ReadDir(wordgarden.Content, "content")
	if err != nil {
		return fmt.Errorf("starter glossary: %w", err)
	}
	added, _, err := importFiles(ctx, st, files)
	if err != nil {
		return fmt.Errorf("starter glossary: %w", err)
	}
	fmt.Fprintf(stdout, "Loaded the starter glossary: %d terms.\n", added)
	// Then its translations (content/LANG/), of the wordings just loaded.
	translated, skipped, err := importTranslations(ctx, st, wordgarden.Content, "content")
	if err != nil {
		return fmt.Errorf("starter glossary: %w", err)
	}
	fmt.Fprintf(stdout, "Loaded its translations: %d.\n", translated)
	if len(skipped) > 0 {
		fmt.Fprintf(stdout, "Skipped translations of wordings that have changed since: %v\n", skipped)
	}
	return nil
}

// sessionKey is $WORDGARDEN_SESSION_KEY, or the key kept in the database.
func sessionKey(ctx context.Context, st *store.Store) ([]byte, error) {
	if k := os.Getenv("WORDGARDEN_SESSION_KEY"); k != "" {
		if len(k) < 32 {
			return nil, usageError("WORDGARDEN_SESSION_KEY must be at least 32 characters")
		}
		return []byte(k), nil
	}
	return st.SessionKey(ctx)
}
