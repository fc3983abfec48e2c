package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"wordgarden/server"
	"wordgarden/server/store"
)

// measure builds or reuses the data set, serves it, drives the scenarios
// and checks the ballots.
func measure(ctx context.Context, o options, stderr io.Writer) (*report, error) {
	work, err := os.MkdirTemp("", "wordgarden-load-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	rep := &report{Duration: o.duration.String(), Connections: o.connections, CPUs: runtime.NumCPU(), Popularity: "zipf",
		Backend: "sqlite"}
	if store.IsPostgres(o.db) {
		rep.Backend = "postgres"
	}
	if o.uniform {
		rep.Popularity = "uniform"
	}

	// The data set.
	db := o.db
	if db == "" {
		db = filepath.Join(work, "load.db")
	}
	params, reused, err := existingDataset(ctx, db, o.keep)
	if err != nil {
		return nil, err
	}
	if reused {
		fmt.Fprintf(stderr, "reusing the data set in %s (%d terms, %d residents, %d closed rounds with %d ballots)\n",
			store.Redact(db), params.Terms, params.Residents, params.Rounds, params.Ballots)
	} else {
		took, err := buildDataset(ctx, db, o.data, stderr)
		if err != nil {
			return nil, fmt.Errorf("build the data set: %w", err)
		}
		params = o.data
		rep.DatasetSeconds = round(took.Seconds(), 2)
	}
	rep.Dataset, rep.DatasetReused = params, reused

	// The server, and people signed in to it.
	bin := o.bin
	if bin == "" {
		if bin, err = buildServer(ctx, work, stderr); err != nil {
			return nil, err
		}
	}
	key := make([]byte, 32)
	rand.Read(key)
	sessionKey := []byte(hex.EncodeToString(key))
	t, err := prepare(ctx, db, sessionKey, stderr)
	if err != nil {
		return nil, err
	}
	logPath := o.serverLog
	if logPath == "" {
		logPath = filepath.Join(work, "server.log")
	}
	srv, startup, err := startServer(ctx, bin, db, sessionKey, logPath)
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.stop()
		}
	}()
	rep.StartupMS = float64(startup.Microseconds()) / 1000
	fmt.Fprintf(stderr, "wordgarden serves %s: first page %.0f ms after start\n", srv.base, rep.StartupMS)
	t.base = srv.base
	t.uniform = o.uniform
	if err := preflight(t); err != nil {
		return nil, err
	}

	// The scenarios, between two baselines.
	transport := &http.Transport{
		MaxIdleConns:        2 * o.connections,
		MaxIdleConnsPerHost: o.connections,
		IdleConnTimeout:     2 * time.Minute,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport:     transport,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	box := &ballotBox{t: t}
	var runs []measured
	var ballotElapsed time.Duration
	for _, name := range append(append([]string{"baseline"}, o.scenarios...), "baseline") {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var b *ballotBox
		if name == "ballot" {
			b = box
		}
		srvCPU0, _ := cpuTime(srv.cmd.Process.Pid)
		loadCPU0, _ := cpuTime(0)
		r := drive(ctx, scenarioNamed(name, t, b), t, client, o.connections, o.duration, b, stderr)
		srvCPU1, _ := cpuTime(srv.cmd.Process.Pid)
		loadCPU1, _ := cpuTime(0)
		r.serverCPU, r.loadCPU = srvCPU1-srvCPU0, loadCPU1-loadCPU0
		if _, now, err := srv.memory(); err == nil {
			r.rssMB = now
		}
		if name == "ballot" {
			ballotElapsed = r.elapsed
		}
		runs = append(runs, r)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	peak, _, err := srv.memory()
	if err != nil {
		return nil, fmt.Errorf("read the server's memory: %w", err)
	}
	rep.PeakRSSMB = round(peak, 1)
	stopped = true
	if err := srv.stop(); err != nil {
		return nil, err
	}
	rep.ServerLog, err = summariseLog(logPath)
	if err != nil {
		return nil, err
	}
	if o.serverLog != "" {
		rep.ServerLogPath = o.serverLog
	}

	// Every acknowledged ballot must be stored, as last acknowledged.
	if ballotElapsed > 0 {
		stored, err := storedBallots(db, t)
		if err != nil {
			return nil, err
		}
		c := box.check(stored, ballotElapsed)
		c.AcknowledgedPerS = round(c.AcknowledgedPerS, 1)
		rep.Ballots = &c
		rep.LostBallots = c.Lost
	}
	rep.fill(runs)
	return rep, nil
}

// prepare finds the open round, the terms and the residents, clears the
// open round's ballots and every session left by an earlier run, and signs
// every resident in: a session row each, written straight into the
// database, and the cookie the server gives for it (server.SessionCookie),
// so that no one pays for bcrypt.
func prepare(ctx context.Context, db string, key []byte, stderr io.Writer) (*target, error) {
	start := time.Now()
	conn, err := openBulk(ctx, db)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	t := &target{}
	now := time.Now().UTC()
	var method string
	err = conn.QueryRowContext(ctx, `SELECT id, method FROM rounds WHERE closed_at IS NULL AND closes_at > $1 ORDER BY id LIMIT 1`,
		now.Add(time.Hour)).Scan(&t.roundID, &method)
	if err != nil {
		return nil, fmt.Errorf("the data set has no open round (%v): build it again without -keep", err)
	}
	if method != "approval" {
		return nil, fmt.Errorf("the open round %d is %s, not approval: build the data set again", t.roundID, method)
	}
	rows, err := conn.QueryContext(ctx, `SELECT version_id FROM round_candidates WHERE round_id = $1 ORDER BY position`, t.roundID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		t.candidates = append(t.candidates, id)
	}
	rows.Close()
	if t.slugs, err = strings1(ctx, conn, `SELECT slug FROM terms ORDER BY id`); err != nil {
		return nil, err
	}
	rows, err = conn.QueryContext(ctx, `SELECT id, name FROM users WHERE role = 'resident' ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r resident
		if err := rows.Scan(&r.id, &r.name); err != nil {
			rows.Close()
			return nil, err
		}
		t.residents = append(t.residents, r)
	}
	rows.Close()
	if len(t.residents) == 0 || len(t.slugs) == 0 {
		return nil, errors.New("the data set has no residents or no terms: build it again")
	}
	// Which terms are most read is chance, not their age.
	mrand.Shuffle(len(t.slugs), func(i, j int) { t.slugs[i], t.slugs[j] = t.slugs[j], t.slugs[i] })
	// Residents come to vote in no particular order.
	mrand.Shuffle(len(t.residents), func(i, j int) { t.residents[i], t.residents[j] = t.residents[j], t.residents[i] })

	tokens := make([]string, len(t.residents))
	err = inTx(ctx, conn, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM ballots WHERE round_id = $1`, t.roundID); err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM sessions`); err != nil {
			return err
		}
		stmt, err := tx.Prepare(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		raw := make([]byte, 32)
		for i, r := range t.residents {
			rand.Read(raw)
			tokens[i] = base64.RawURLEncoding.EncodeToString(raw)
			hash := sha256.Sum256([]byte(tokens[i]))
			if _, err := stmt.Exec(hash[:], r.id, now, now.Add(7*24*time.Hour)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sign residents in: %w", err)
	}
	if err := settle(ctx, conn, db); err != nil {
		return nil, err
	}
	var wg sync.WaitGroup
	errs := make([]error, runtime.NumCPU())
	for k := range errs {
		wg.Go(func() {
			for i := k; i < len(tokens); i += len(errs) {
				c, err := server.SessionCookie(key, tokens[i])
				if err != nil {
					errs[k] = err
					return
				}
				t.residents[i].cookie = c.Name + "=" + c.Value
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	fmt.Fprintf(stderr, "signed in %d residents in %s; open round %d has %d candidates\n",
		len(t.residents), time.Since(start).Round(10*time.Millisecond), t.roundID, len(t.candidates))
	return t, nil
}

func strings1(ctx context.Context, conn *sql.DB, query string) ([]string, error) {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// preflight checks, once, that a resident's cookie signs them in and that
// the baseline exists, so a broken set-up is not measured as a fast one.
func preflight(t *target) error {
	get := func(path, cookie string) (int, string, error) {
		req, _ := http.NewRequest(http.MethodGet, t.base+path, nil)
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, string(b), err
	}
	status, _, err := get("/_load/baseline", "")
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("GET /_load/baseline = %d, %v: does this wordgarden know --load-testing?", status, err)
	}
	r := t.residents[0]
	status, body, err := get("/terms/"+t.slugs[0], r.cookie)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("GET /terms/%s = %d, %v", t.slugs[0], status, err)
	}
	if !strings.Contains(body, "("+htmlEscape(r.name)+")") {
		return fmt.Errorf("a resident's session cookie does not sign them in: /terms/%s does not show %q", t.slugs[0], r.name)
	}
	return nil
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// storedBallots reads the open round's ballots once the server has
// stopped: marks by resident index in t.residents.
func storedBallots(db string, t *target) (map[int]string, error) {
	conn, err := openRead(db)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	index := make(map[int64]int, len(t.residents))
	for i, r := range t.residents {
		index[r.id] = i
	}
	rows, err := conn.Query(`SELECT user_id, marks FROM ballots WHERE round_id = $1`, t.roundID)
	if err != nil {
		return nil, fmt.Errorf("read the open round's ballots: %w", err)
	}
	defer rows.Close()
	out := map[int]string{}
	for rows.Next() {
		var uid int64
		var marks string
		if err := rows.Scan(&uid, &marks); err != nil {
			return nil, err
		}
		i, ok := index[uid]
		if !ok {
			i = -int(uid) // not a resident this run knew: shows as unacknowledged
		}
		out[i] = marks
	}
	return out, rows.Err()
}
