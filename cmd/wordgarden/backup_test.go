package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"

	"wordgarden/server"
	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/tally"
	"wordgarden/server/wait"
)

// testSessionKey signs the cookies of the servers these tests start.
const testSessionKey = "a session key for the backup and crash tests"

// cheapHashing is the store option of the stores these tests open: the
// accounts they make sign in by session cookie, so bcrypt's full cost
// would buy nothing. The commands the tests run open their own stores at
// the default cost, as in production.
var cheapHashing = store.WithPasswordCost(bcrypt.MinCost)

// votingDB is a database with the starter glossary, a facilitator, a
// partner of each sector, residents with sessions, a closed round and an
// open one, on a term with two wordings.
type votingDB struct {
	path        string
	st          *store.Store
	facilitator model.User
	partner     model.User
	term        model.Term
	a, b        model.Version
	closed      model.Round
	open        model.Round
	residents   []model.User
	cookies     []*http.Cookie // residents[i] signs in with cookies[i]
	partnerCk   *http.Cookie
}

// newVotingDB makes the database at path with n residents and leaves it open.
func newVotingDB(t testing.TB, path string, n int) *votingDB {
	t.Helper()
	st, err := store.Open(path, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ctx := context.Background()
	db := &votingDB{path: path, st: st}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(loadStarter(ctx, st, io.Discard))
	db.facilitator, err = st.CreateUser(ctx, model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator, Password: "facilitator password"})
	must(err)
	council, err := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	must(err)
	hub, err := st.CreateOrganisation(ctx, "Peckham Community Hub", model.Voluntary)
	must(err)
	sam, err := st.CreateUser(ctx, model.NewUser{Email: "sam@example.org", Name: "Sam", Role: model.Partner, OrganisationID: council.ID, Password: "partner password"})
	must(err)
	db.partner, err = st.CreateUser(ctx, model.NewUser{Email: "val@example.org", Name: "Val", Role: model.Partner, OrganisationID: hub.ID, Password: "partner password"})
	must(err)
	var places []model.Neighbourhood
	for _, name := range []string{"Peckham", "Walworth", "Camberwell"} {
		p, err := st.CreateNeighbourhood(ctx, name)
		must(err)
		places = append(places, p)
	}
	// Make them side by side: even at the lowest cost, hashing is most of
	// the time a resident takes to make.
	db.residents = make([]model.User, n)
	errs := make([]error, n)
	var made sync.WaitGroup
	for i := range n {
		made.Add(1)
		go func() {
			defer made.Done()
			db.residents[i], errs[i] = st.CreateUser(ctx, model.NewUser{Name: fmt.Sprintf("Resident %d", i),
				Role: model.Resident, NeighbourhoodID: places[i%len(places)].ID, Password: "resident password"})
		}()
	}
	made.Wait()
	for i, u := range db.residents {
		must(errs[i])
		db.cookies = append(db.cookies, sessionCookie(t, st, u))
	}
	db.partnerCk = sessionCookie(t, st, db.partner)

	// A closed round on one term, with a ballot from every resident...
	cn, err := st.Term(ctx, "care-navigator")
	must(err)
	alt, err := st.CreateVersion(ctx, cn.ID, model.NewVersion{Markdown: "Someone who helps you find your way to help.", ParentID: cn.AgreedVersionID, Author: &db.partner})
	must(err)
	db.closed, err = st.OpenRound(ctx, model.NewRound{TermID: cn.ID, Candidates: []int64{cn.AgreedVersionID, alt.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(time.Hour), Quorum: 1, ThresholdPct: 50, OpenedBy: db.facilitator})
	must(err)
	for i, u := range db.residents {
		ids := []int64{alt.ID}
		if i%3 == 0 {
			ids = []int64{cn.AgreedVersionID}
		}
		_, err := st.CastBallot(ctx, db.closed.ID, u, tally.Ballot{Approve: ids})
		must(err)
	}
	db.closed, err = st.CloseRound(ctx, db.closed.ID)
	must(err)

	// ... and an open round on a new term with two wordings.
	db.term, db.a, err = st.CreateTerm(ctx, "Community hub", model.NewVersion{Markdown: "A place where local groups and services meet residents.", Author: &sam})
	must(err)
	db.b, err = st.CreateVersion(ctx, db.term.ID, model.NewVersion{Markdown: "A local building where groups meet and you can get help. See [[Care navigator]].", ParentID: db.a.ID, Author: &db.partner})
	must(err)
	db.open, err = st.OpenRound(ctx, model.NewRound{TermID: db.term.ID, Candidates: []int64{db.a.ID, db.b.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(24 * time.Hour), Quorum: 1, ThresholdPct: 50, OpenedBy: db.facilitator})
	must(err)
	return db
}

// sessionCookie signs u in, without a password, on servers that use testSessionKey.
func sessionCookie(t testing.TB, st *store.Store, u model.User) *http.Cookie {
	t.Helper()
	token, err := st.CreateSession(context.Background(), u.ID, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ck, err := server.SessionCookie([]byte(testSessionKey), token)
	if err != nil {
		t.Fatal(err)
	}
	return ck
}

// startServer serves st in the test process.
func startServer(t testing.TB, st *store.Store) *httptest.Server {
	t.Helper()
	srv, err := server.New(server.Config{Store: st, SessionKey: []byte(testSessionKey),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

// noRedirects is a client that shows redirects rather than following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// postForm sends a form as a same-origin browser would, signed in with ck,
// and returns the status.
func postForm(ctx context.Context, client *http.Client, base, path string, ck *http.Cookie, form url.Values) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if ck != nil {
		req.AddCookie(ck)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// ballotForm is an approval ballot ticking ids.
func ballotForm(ids []int64) url.Values {
	f := url.Values{}
	for _, id := range ids {
		f.Add("approve", strconv.FormatInt(id, 10))
	}
	return f
}

// get fetches a page and returns its status and body.
func get(t testing.TB, base, path string) (int, []byte) {
	t.Helper()
	status, body := getAs(t, http.DefaultClient, base+path, nil)
	return status, []byte(body)
}

// TestBackupCommand takes a backup with "wordgarden backup" while a server
// serves the database and residents vote and partners propose through it,
// and checks the copy opens and serves. Then, with the source quiet, it
// takes another, restores it into a fresh server, and compares terms,
// versions, rounds and ballots with the source: through the JSON API, row by
// row in every table, and by closing the open round in both and comparing
// the tallies.
func TestBackupCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := newVotingDB(t, filepath.Join(dir, "source.db"), 8)
	ts := startServer(t, src.st)
	ctx := context.Background()

	// Load: residents change their ballots, a partner proposes wordings.
	var (
		stop     atomic.Bool
		running  sync.WaitGroup
		accepted atomic.Int64
		proposed atomic.Int64
	)
	choices := [][]int64{{src.a.ID}, {src.b.ID}, {src.a.ID, src.b.ID}}
	for i, ck := range src.cookies {
		running.Add(1)
		go func() {
			defer running.Done()
			for j := 0; !stop.Load(); j++ {
				status, err := postForm(ctx, noRedirects, ts.URL, fmt.Sprintf("/rounds/%d/ballot", src.open.ID), ck, ballotForm(choices[(i+j)%3]))
				if err != nil || status != http.StatusOK {
					t.Errorf("ballot: %d %v", status, err)
					return
				}
				accepted.Add(1)
			}
		}()
	}
	running.Add(1)
	go func() {
		defer running.Done()
		for j := 0; !stop.Load(); j++ {
			status, err := postForm(ctx, noRedirects, ts.URL, "/terms/"+src.term.Slug+"/versions", src.partnerCk,
				url.Values{"markdown": {fmt.Sprintf("Wording number %d: try, learn, change.", j)}})
			if err != nil || status != http.StatusSeeOther {
				t.Errorf("propose: %d %v", status, err)
				return
			}
			proposed.Add(1)
		}
	}()
	// Should the test stop early, the load stops before the server closes.
	t.Cleanup(func() { stop.Store(true); running.Wait() })
	wait.For(t, 20*time.Second, "20 ballots before the backup", func() bool { return accepted.Load() >= 20 || t.Failed() })
	busy := filepath.Join(dir, "busy.db")
	start := time.Now()
	code, stdout, stderr := wg(t, "", "backup", "--db", src.path, busy)
	took := time.Since(start)
	// The load goes on after the backup, then stops.
	atBackup := accepted.Load()
	wait.For(t, 20*time.Second, "10 ballots after the backup", func() bool { return accepted.Load() >= atBackup+10 || t.Failed() })
	stop.Store(true)
	running.Wait()
	if code != 0 || !strings.Contains(stdout, "Backed up") {
		t.Fatalf("backup under load: exit %d, %q %q", code, stdout, stderr)
	}
	t.Logf("backup under load took %v: %s (%d ballots and %d versions acknowledged during the run)",
		took, strings.TrimSpace(stdout), accepted.Load(), proposed.Load())
	if accepted.Load() == 0 || proposed.Load() == 0 {
		t.Errorf("the load did nothing: %d ballots, %d versions", accepted.Load(), proposed.Load())
	}
	{
		copyDB := openRaw(t, busy)
		wantIntegrity(t, copyDB)
		b, err := store.Open(busy, cheapHashing)
		if err != nil {
			t.Fatal(err)
		}
		bts := startServer(t, b)
		if status, body := get(t, bts.URL, "/terms/community-hub"); status != http.StatusOK || !bytes.Contains(body, []byte("Community hub")) {
			t.Errorf("the busy backup serves /terms/community-hub with %d", status)
		}
		bts.Close()
		b.Close()
	}

	// Quiet: the backup equals the source.
	quiet := filepath.Join(dir, "quiet.db")
	if code, stdout, stderr := wg(t, "", "backup", "--db", src.path, quiet); code != 0 {
		t.Fatalf("backup: exit %d, %q %q", code, stdout, stderr)
	}
	restored, err := store.Open(quiet, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	rts := startServer(t, restored)

	// The JSON API says the same of every term, version and round.
	paths := []string{"/api/v1/terms", "/api/v1/rounds",
		fmt.Sprintf("/api/v1/rounds/%d", src.open.ID), fmt.Sprintf("/api/v1/rounds/%d", src.closed.ID),
		fmt.Sprintf("/rounds/%d/results.json", src.closed.ID), fmt.Sprintf("/rounds/%d/ballots.json", src.closed.ID)}
	terms, err := src.st.Terms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range terms {
		paths = append(paths, "/api/v1/terms/"+term.Slug)
	}
	for _, p := range paths {
		s1, want := get(t, ts.URL, p)
		s2, got := get(t, rts.URL, p)
		if s1 != http.StatusOK || s2 != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("GET %s: source %d, restored %d; bodies equal: %v\nsource:   %.300s\nrestored: %.300s",
				p, s1, s2, bytes.Equal(got, want), want, got)
		}
	}
	var detail struct {
		Versions []json.RawMessage `json:"versions"`
	}
	_, body := get(t, rts.URL, "/api/v1/terms/"+src.term.Slug)
	if err := json.Unmarshal(body, &detail); err != nil || len(detail.Versions) != 2+int(proposed.Load()) {
		t.Errorf("the restored term has %d versions (%v), want %d", len(detail.Versions), err, 2+proposed.Load())
	}

	// Every table holds the same rows.
	srcDB, copyDB := openRaw(t, src.path), openRaw(t, quiet)
	wantIntegrity(t, copyDB)
	tables := tableNames(t, srcDB)
	for _, want := range []string{"terms", "versions", "rounds", "round_candidates", "ballots", "users", "sessions", "links"} {
		if !slices.Contains(tables, want) {
			t.Errorf("no table %s among %v", want, tables)
		}
	}
	for _, table := range tables {
		want, got := dumpTable(t, srcDB, table), dumpTable(t, copyDB, table)
		if !slices.Equal(got, want) {
			t.Errorf("table %s: %d rows in the source, %d in the backup, or rows differ", table, len(want), len(got))
		}
	}
	var ballots int
	copyDB.QueryRow(`SELECT count(*) FROM ballots WHERE round_id = ?`, src.open.ID).Scan(&ballots)
	if ballots != len(src.residents) {
		t.Errorf("the restored open round has %d ballots, want %d", ballots, len(src.residents))
	}

	// Each resident's ballot, as the store reads it.
	for _, u := range src.residents {
		want, _, err1 := src.st.MyBallot(ctx, src.open, u.ID)
		got, _, err2 := restored.MyBallot(ctx, src.open, u.ID)
		if err1 != nil || err2 != nil || !slices.Equal(got.Approve, want.Approve) {
			t.Errorf("%s's ballot: source %v (%v), restored %v (%v)", u.Name, want.Approve, err1, got.Approve, err2)
		}
	}

	// A resident can sign in to the restored server with the same cookie
	// and vote; and closing the open round counts the same in both.
	if status, err := postForm(ctx, noRedirects, rts.URL, fmt.Sprintf("/rounds/%d/ballot", src.open.ID),
		src.cookies[0], ballotForm([]int64{src.a.ID})); status != http.StatusOK || err != nil {
		t.Errorf("voting in the restored server: %d %v", status, err)
	}
	if status, err := postForm(ctx, noRedirects, ts.URL, fmt.Sprintf("/rounds/%d/ballot", src.open.ID),
		src.cookies[0], ballotForm([]int64{src.a.ID})); status != http.StatusOK || err != nil {
		t.Errorf("voting in the source server: %d %v", status, err)
	}
	r1, err1 := src.st.CloseRound(ctx, src.open.ID)
	r2, err2 := restored.CloseRound(ctx, src.open.ID)
	if err1 != nil || err2 != nil || r1.Results == nil || !r1.Results.Equal(r2.Results) {
		t.Errorf("closing the round: source %+v (%v), restored %+v (%v)", r1.Results, err1, r2.Results, err2)
	}
}

// TestBackupCommandErrors: used wrongly, the command says so and writes
// nothing; it never replaces a file, and never makes a database that was
// not there.
func TestBackupCommandErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "wg.db")
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	taken := filepath.Join(dir, "taken.db")
	os.WriteFile(taken, []byte("keep me"), 0o644)

	if code, out, _ := wg(t, "", "help"); code != 0 || !strings.Contains(out, "wordgarden backup") {
		t.Errorf("help does not mention backup: %q", out)
	}
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"no file", []string{"backup", "--db", db}, 2, "one file"},
		{"two files", []string{"backup", "--db", db, "a.db", "b.db"}, 2, "one file"},
		{"bad flag", []string{"backup", "--frob", "x.db"}, 2, "frob"},
		{"taken name", []string{"backup", "--db", db, taken}, 1, "exists already"},
		{"no database", []string{"backup", "--db", filepath.Join(dir, "missing.db"), filepath.Join(dir, "out.db")}, 1, "no database"},
		{"no folder", []string{"backup", "--db", db, filepath.Join(dir, "no", "out.db")}, 1, ""},
	}
	for _, tt := range tests {
		code, _, stderr := wg(t, "", tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.says) {
			t.Errorf("%s: exit %d, %q; want exit %d saying %q", tt.name, code, stderr, tt.code, tt.says)
		}
	}
	if b, _ := os.ReadFile(taken); string(b) != "keep me" {
		t.Errorf("the taken file now holds %q", b)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"taken.db", "wg.db"}) {
		t.Errorf("the folder holds %v, want only taken.db and wg.db", names)
	}
}

// openRaw opens a database beside any store using it: a SQLite file
// read-only, or a connection to a PostgreSQL database.
func openRaw(t testing.TB, path string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000"
	if store.IsPostgres(path) {
		driver, dsn = "pgx", path
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// wantIntegrity fails the test unless SQLite finds the database sound. A
// PostgreSQL database it leaves to PostgreSQL, which checks every
// reference as it is written.
func wantIntegrity(t testing.TB, db *sql.DB) {
	t.Helper()
	if _, ok := db.Driver().(*stdlib.Driver); ok {
		return
	}
	var ok string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check = %q, %v", ok, err)
	}
	rows, err := db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Error("foreign_key_check found a broken reference")
	}
}

// tableNames lists the database's own tables (the search index's shadow
// tables are compared through term_search itself).
func tableNames(t testing.TB, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'term_search_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	return names
}

// dumpTable returns every row of a table, each as one line, in a fixed order.
func dumpTable(t testing.TB, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var line strings.Builder
		for _, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			fmt.Fprintf(&line, "%#v\x1f", v)
		}
		out = append(out, line.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
