package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"wordgarden/server/store"
	"wordgarden/server/store/storetest"
)

// TestCrashLosesNoBallot builds the wordgarden binary, has 32 residents cast
// and change ballots through it at once, kills it with SIGKILL at a random
// moment, and starts it again on the same file. Every ballot acknowledged
// with a 2xx must be stored, with the marks and receipt of the resident's
// last acknowledged ballot, or else with the marks of the one request that
// was in flight when the server died (which may or may not have landed);
// SQLite must find the database sound; and the server must serve and take
// ballots again. Five runs, each killed at another moment.
func TestCrashLosesNoBallot(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary and kills it five times; skipped with -short")
	}
	begin := time.Now()
	dir := t.TempDir()
	// Build while the database is made: both take seconds.
	var bin string
	var buildErr error
	built := make(chan struct{})
	go func() {
		defer close(built)
		bin, buildErr = buildBinary(dir)
		t.Logf("built the binary in %v", time.Since(begin).Round(time.Millisecond))
	}()

	// One database, made once and copied for each run; on PostgreSQL,
	// made afresh in a schema of each run's own.
	prep := time.Now()
	tmpl := filepath.Join(dir, "template.db")
	var fx *votingDB
	if !storetest.Postgres() {
		fx = newVotingDB(t, tmpl, 32)
		if err := fx.st.Close(); err != nil {
			t.Fatal(err)
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if _, err := os.Stat(tmpl + suffix); err == nil {
				t.Fatalf("the closed template database left %s behind", suffix)
			}
		}
		t.Logf("made the database with %d residents in %v", len(fx.residents), time.Since(prep).Round(time.Millisecond))
	}
	<-built
	if buildErr != nil {
		t.Fatal(buildErr)
	}

	for run := range 5 {
		t.Run(fmt.Sprintf("run%d", run+1), func(t *testing.T) {
			runDir := filepath.Join(dir, fmt.Sprintf("run%d", run+1))
			if err := os.Mkdir(runDir, 0o755); err != nil {
				t.Fatal(err)
			}
			db, fx := filepath.Join(runDir, "wordgarden.db"), fx
			if storetest.Postgres() {
				db = storetest.DSN(t)
				fx = newVotingDB(t, db, 32)
				if err := fx.st.Close(); err != nil {
					t.Fatal(err)
				}
			} else {
				copyFile(t, tmpl, db)
			}
			crashRun(t, bin, db, fx, runDir, 50*time.Millisecond+rand.N(350*time.Millisecond))
		})
	}
	t.Logf("five crashes in %v in all", time.Since(begin).Round(time.Millisecond))
}

// sent is one ballot a resident sent: its marks, and its receipt if the
// server acknowledged it.
type sent struct {
	marks   []int64
	acked   bool
	receipt string
}

// receiptRE finds the receipt on the page that acknowledges a ballot.
var receiptRE = regexp.MustCompile(`id="receipt">([^<]+)<`)

func crashRun(t *testing.T, bin, db string, fx *votingDB, dir string, killAfter time.Duration) {
	srv := startBinary(t, bin, db, dir, "first")
	client := &http.Client{
		Timeout:   5 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	defer client.CloseIdleConnections()
	ballotPath := fmt.Sprintf("/rounds/%d/ballot", fx.open.ID)
	choices := [][]int64{{fx.a.ID}, {fx.b.ID}, {fx.a.ID, fx.b.ID}}

	// Each resident votes again and again, one request at a time, until a
	// request fails because the server is gone.
	history := make([][]sent, len(fx.residents))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var unexpected []string
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range fx.residents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prev := -1
			for ctx.Err() == nil {
				c := rand.N(len(choices))
				if c == prev {
					c = (c + 1) % len(choices)
				}
				prev = c
				history[i] = append(history[i], sent{marks: choices[c]})
				status, body, err := postBallot(ctx, client, srv.url+ballotPath, fx.cookies[i], choices[c])
				if err != nil {
					return // the server died, or the run is over
				}
				if status < 200 || status > 299 {
					mu.Lock()
					unexpected = append(unexpected, fmt.Sprintf("%s: %d", fx.residents[i].Name, status))
					mu.Unlock()
					return
				}
				m := receiptRE.FindStringSubmatch(body)
				if m == nil {
					mu.Lock()
					unexpected = append(unexpected, fmt.Sprintf("%s: a 2xx with no receipt", fx.residents[i].Name))
					mu.Unlock()
					return
				}
				h := &history[i][len(history[i])-1]
				h.acked, h.receipt = true, m[1]
			}
		}()
	}
	// A deliberate wait, not a wait for something: the kill comes at a
	// random moment of the voting.
	time.Sleep(killAfter)
	srv.kill(t)
	// Requests still going fail at once now; let every resident see it.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cancel()
		<-done
		t.Error("requests to the killed server did not fail within 10 s")
	}
	for _, u := range unexpected {
		t.Errorf("before the kill, a ballot was answered %s", u)
	}

	// Start again on the same file: it serves, and the ballots are there.
	again := startBinary(t, bin, db, dir, "restarted")
	for _, path := range []string{"/", "/terms/community-hub", fmt.Sprintf("/rounds/%d", fx.open.ID), "/api/v1/terms"} {
		if status, _ := get(t, again.url, path); status != http.StatusOK {
			t.Errorf("after the restart, GET %s = %d", path, status)
		}
	}
	raw := openRaw(t, db)
	wantIntegrity(t, raw)

	stored := map[int64]storedBallot{}
	st, err := store.Open(db, cheapHashing) // beside the restarted server, as the CLI commands are
	if err != nil {
		t.Fatal(err)
	}
	round, err := st.Round(context.Background(), fx.open.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range fx.residents {
		b, ok, err := st.MyBallot(context.Background(), round, u.ID)
		if err != nil {
			t.Fatalf("%s's ballot: %v", u.Name, err)
		}
		if ok {
			var receipt string
			// $n: both SQLite and PostgreSQL take it.
			raw.QueryRow(`SELECT receipt FROM ballots WHERE round_id = $1 AND user_id = $2`, fx.open.ID, u.ID).Scan(&receipt)
			stored[u.ID] = storedBallot{sorted(b.Approve), receipt}
		}
	}
	st.Close()

	acked, residentsAcked := 0, 0
	for i, u := range fx.residents {
		if n := countAcked(history[i]); n > 0 {
			acked += n
			residentsAcked++
		}
		got, ok := stored[u.ID]
		if problem := ballotProblem(history[i], got, ok); problem != "" {
			t.Errorf("%s: %s", u.Name, problem)
		}
	}
	t.Logf("killed after %v: %d ballots acknowledged from %d residents, %d ballots stored",
		killAfter.Round(time.Millisecond), acked, residentsAcked, len(stored))

	// The restarted server takes ballots again.
	status, body, err := postBallot(context.Background(), client, again.url+ballotPath, fx.cookies[0], []int64{fx.a.ID})
	if err != nil || status != http.StatusOK || !receiptRE.MatchString(body) {
		t.Errorf("a ballot after the restart: %d %v", status, err)
	}
	again.stop(t)
}

// storedBallot is a resident's ballot as the database holds it.
type storedBallot struct {
	marks   []int64 // sorted
	receipt string
}

// ballotProblem says what is wrong with a resident's stored ballot (got,
// if ok), given the ballots they sent in order, one at a time; "" if
// nothing is. Once any ballot was acknowledged, one must be stored: the
// last acknowledged one, with its receipt and marks, or one sent after it
// that was in flight when the server died. With none acknowledged, there
// may be none stored, or the one in flight.
func ballotProblem(h []sent, got storedBallot, ok bool) string {
	last := -1
	for j, s := range h {
		if s.acked {
			last = j
		}
	}
	for _, s := range h[:max(last, 0)] {
		if ok && s.acked && s.receipt == got.receipt {
			return fmt.Sprintf("the stored ballot is an older acknowledged one (receipt %s), not the last, %s",
				s.receipt, h[last].receipt)
		}
	}
	switch {
	case last >= 0 && !ok:
		return fmt.Sprintf("%d ballots were acknowledged, the last %v with receipt %s, and none is stored",
			countAcked(h), h[last].marks, h[last].receipt)
	case !ok:
		return "" // nothing acknowledged, nothing stored
	case last >= 0 && got.receipt == h[last].receipt:
		if !slices.Equal(got.marks, sorted(h[last].marks)) {
			return fmt.Sprintf("the stored ballot has the receipt of the last acknowledged one, %s, but marks %v, not %v",
				got.receipt, got.marks, h[last].marks)
		}
		return ""
	}
	for _, s := range h[last+1:] {
		if !s.acked && slices.Equal(got.marks, sorted(s.marks)) {
			return "" // the request in flight at the kill landed
		}
	}
	lastDesc := "none"
	if last >= 0 {
		lastDesc = fmt.Sprintf("%v (receipt %s)", h[last].marks, h[last].receipt)
	}
	return fmt.Sprintf("the stored ballot is %v (receipt %s); the last acknowledged was %s, and no request after it had those marks",
		got.marks, got.receipt, lastDesc)
}

// TestBallotProblem checks the crash test's judge: it must catch a lost or
// stale ballot, and allow the request in flight at the kill either way.
func TestBallotProblem(t *testing.T) {
	t.Parallel()
	a, b, ab := []int64{1}, []int64{2}, []int64{2, 1}
	acked := func(m []int64, r string) sent { return sent{marks: m, acked: true, receipt: r} }
	inFlight := func(m []int64) sent { return sent{marks: m} }
	tests := []struct {
		name string
		h    []sent
		got  storedBallot
		ok   bool
		bad  bool
	}{
		{"nothing sent, nothing stored", nil, storedBallot{}, false, false},
		{"only a request in flight, not landed", []sent{inFlight(a)}, storedBallot{}, false, false},
		{"only a request in flight, landed", []sent{inFlight(a)}, storedBallot{a, "R9"}, true, false},
		{"last acknowledged stored", []sent{acked(a, "R1"), acked(ab, "R2")}, storedBallot{[]int64{1, 2}, "R2"}, true, false},
		{"last acknowledged, then one in flight that landed", []sent{acked(a, "R1"), inFlight(b)}, storedBallot{b, "R7"}, true, false},
		{"last acknowledged, then one in flight that did not land", []sent{acked(a, "R1"), inFlight(b)}, storedBallot{a, "R1"}, true, false},
		{"acknowledged and lost", []sent{acked(a, "R1"), inFlight(b)}, storedBallot{}, false, true},
		{"an older ballot came back", []sent{acked(a, "R1"), acked(b, "R2")}, storedBallot{a, "R1"}, true, true},
		{"older marks under a new receipt", []sent{acked(a, "R1"), acked(b, "R2")}, storedBallot{a, "R5"}, true, true},
		{"right receipt, wrong marks", []sent{acked(a, "R1")}, storedBallot{b, "R1"}, true, true},
		{"marks nobody sent", []sent{inFlight(a)}, storedBallot{b, "R3"}, true, true},
	}
	for _, tt := range tests {
		if p := ballotProblem(tt.h, tt.got, tt.ok); (p != "") != tt.bad {
			t.Errorf("%s: problem %q, want a problem: %v", tt.name, p, tt.bad)
		}
	}
}

func countAcked(h []sent) int {
	n := 0
	for _, s := range h {
		if s.acked {
			n++
		}
	}
	return n
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// postBallot casts an approval ballot and returns the status and page.
func postBallot(ctx context.Context, client *http.Client, url string, ck *http.Cookie, ids []int64) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(ballotForm(ids).Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(ck)
	res, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		// Headers came but the page did not: the server died mid-answer.
		return 0, "", err
	}
	return res.StatusCode, string(b), nil
}

// buildBinary builds cmd/wordgarden into dir, from the root of the module
// this test is in, and returns the binary's path.
func buildBinary(dir string) (string, error) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	out, err := exec.Command(goBin, "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("go env GOMOD names no module: %q", gomod)
	}
	bin := filepath.Join(dir, "wordgarden")
	cmd := exec.Command(goBin, "build", "-tags", "sqlite_fts5", "-o", bin, "./cmd/wordgarden")
	cmd.Dir = filepath.Dir(gomod)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// binaryServer is a wordgarden process serving a database.
type binaryServer struct {
	name   string
	cmd    *exec.Cmd
	exited chan error // receives what Wait returned, once
	url    string     // http://127.0.0.1:PORT, no slash at the end
	stdout string     // the files its output goes to
	stderr string
}

// servingRE finds the address in what serve prints when it is ready.
var servingRE = regexp.MustCompile(`is serving (http://127\.0\.0\.1:\d+)/`)

// startBinary runs "wordgarden serve" on db and waits until it serves.
// Its output goes to files in dir.
func startBinary(t *testing.T, bin, db, dir, name string) *binaryServer {
	t.Helper()
	s := &binaryServer{name: name, exited: make(chan error, 1),
		stdout: filepath.Join(dir, name+".out"), stderr: filepath.Join(dir, name+".log")}
	stdout, err := os.Create(s.stdout)
	if err != nil {
		t.Fatal(err)
	}
	defer stdout.Close()
	stderr, err := os.Create(s.stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer stderr.Close()
	s.cmd = exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	s.cmd.Env = append(os.Environ(), "WORDGARDEN_SESSION_KEY="+testSessionKey)
	s.cmd.Stdout, s.cmd.Stderr = stdout, stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- s.cmd.Wait() }()
	t.Cleanup(func() {
		// Only this process, by its id; it may have ended already.
		s.cmd.Process.Signal(syscall.SIGKILL)
	})

	deadline := time.Now().Add(15 * time.Second)
	for {
		b, _ := os.ReadFile(s.stdout)
		if m := servingRE.FindSubmatch(b); m != nil {
			s.url = string(m[1])
			return s
		}
		select {
		case err := <-s.exited:
			t.Fatalf("the %s server exited before serving: %v\n%s\n%s", name, err, b, s.log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the %s server printed no address in 15 s: %q", name, b)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// kill ends the server with SIGKILL and waits for it to be gone.
func (s *binaryServer) kill(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatalf("kill the %s server: %v", s.name, err)
	}
	select {
	case <-s.exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("the %s server did not die from SIGKILL", s.name)
	}
}

// stop ends the server with SIGTERM, as an operator would, and wants it to
// stop cleanly.
func (s *binaryServer) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("stop the %s server: %v", s.name, err)
	}
	select {
	case err := <-s.exited:
		if err != nil {
			t.Errorf("the %s server stopped with %v\n%s", s.name, err, s.log())
		}
	case <-time.After(15 * time.Second):
		t.Errorf("the %s server did not stop within 15 s of SIGTERM", s.name)
	}
}

// log is the end of what the server wrote to stderr.
func (s *binaryServer) log() string {
	b, _ := os.ReadFile(s.stderr)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

// copyFile copies a closed database file.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
