package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"wordgarden/server/store/storetest"
	"wordgarden/server/version"
	"wordgarden/server/wait"
)

// syncBuffer is a bytes.Buffer that serve may write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServe starts the server as "go run ./cmd/wordgarden" would, on an empty
// database, fetches a page, and stops it with SIGTERM.
//
// It is not parallel: it stops serve with a SIGTERM to this whole process,
// and serve sets the process's memory limit.
func TestServe(t *testing.T) {
	db := storetest.DSN(t)
	var out, errOut syncBuffer
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("serve printed: %q\n%s", out.String(), errOut.String())
		}
	})
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"serve", "--addr", "127.0.0.1:0", "--db", db,
			"--site-url", "https://glossary.example.org", "--licence", "cc-by-4.0",
			"--log-format", "json", "--metrics-allow", "127.0.0.1", "--trusted-proxies", "127.0.0.1"}, strings.NewReader(""), &out, &errOut)
	}()

	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	// The hint about a facilitator comes just after the address.
	wait.For(t, 30*time.Second, "serve to print its address", func() bool {
		select {
		case code := <-done:
			t.Fatalf("serve ended with %d: %s %s", code, out.String(), errOut.String())
		default:
		}
		return url.MatchString(out.String()) && strings.Contains(out.String(), "There is no facilitator yet")
	})
	for _, want := range []string{"Loaded the starter glossary", "There is no facilitator yet"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve did not say %q: %q", want, out.String())
		}
	}
	res, err := http.Get(url.FindString(out.String()) + "terms/neighbourhood-working")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "Neighbourhood working") {
		t.Errorf("GET /terms/neighbourhood-working = %d", res.StatusCode)
	}

	// The open data give the site address and licence the flags chose.
	res, err = http.Get(url.FindString(out.String()) + "glossary.jsonld")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(body), `"https://glossary.example.org/terms/neighbourhood-working"`) ||
		!strings.Contains(string(body), "https://creativecommons.org/licenses/by/4.0/") {
		t.Errorf("GET /glossary.jsonld = %d, %.300s", res.StatusCode, body)
	}

	// This machine is a trusted proxy: what it says came over HTTPS gets
	// a Secure, __Host- cookie.
	req, _ := http.NewRequest(http.MethodGet, url.FindString(out.String())+"login", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if ck := res.Cookies(); len(ck) != 1 || ck[0].Name != "__Host-csrf" || !ck[0].Secure {
		t.Errorf("GET /login through a trusted proxy over HTTPS: cookies %v, want __Host-csrf, Secure", ck)
	}

	// The operator's view: health with the version, metrics for this
	// machine, and the log as JSON lines.
	res, err = http.Get(url.FindString(out.String()) + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health struct{ Status, Version string }
	json.NewDecoder(res.Body).Decode(&health)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || health.Status != "ok" || health.Version != version.String() {
		t.Errorf("GET /healthz = %d %+v, want ok and version %q", res.StatusCode, health, version.String())
	}
	res, err = http.Get(url.FindString(out.String()) + "metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `wordgarden_http_requests_total{method="GET",route="/terms/:slug",status="200"} 1`) {
		t.Errorf("GET /metrics = %d: %.300s", res.StatusCode, body)
	}
	var requests int
	for _, line := range strings.Split(strings.TrimSpace(errOut.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Errorf("a log line is not JSON: %q", line)
		}
		if entry["msg"] == "request" {
			requests++
		}
	}
	if requests < 2 {
		t.Errorf("%d request lines logged: %s", requests, errOut.String())
	}

	syscall.Kill(syscall.Getpid(), syscall.SIGTERM)
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after SIGTERM: %s", code, errOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop after SIGTERM")
	}
	if !strings.Contains(out.String(), "stopping") {
		t.Errorf("serve did not say it was stopping: %q", out.String())
	}
}

func TestServeRefusesBadPublishing(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "never.db")
	for _, args := range [][]string{{"--licence", "all-rights-reserved"}, {"--site-url", "ftp://glossary.example.org"}} {
		code, _, stderr := wg(t, "", append([]string{"serve", "--db", db}, args...)...)
		if code != 2 || !strings.Contains(stderr, args[0]) {
			t.Errorf("serve %v: exit %d, %q; want 2 naming the flag", args, code, stderr)
		}
	}
}

func TestServeFlags(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "flags.db")
	for _, args := range [][]string{
		{"serve", "--db", db, "--log-format", "xml"},
		{"serve", "--db", db, "--metrics-allow", "everyone"},
		{"serve", "--db", db, "--trusted-proxies", "the-proxy"},
	} {
		code, _, errOut := wg(t, "", args...)
		if code != 2 || !strings.Contains(errOut, args[len(args)-2]) {
			t.Errorf("%v: exit %d, %q; want 2 and a word about %s", args, code, errOut, args[len(args)-2])
		}
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-version"}, {"--version"}, {"version"}} {
		code, out, _ := wg(t, "", args...)
		if code != 0 || strings.TrimSpace(out) != "wordgarden "+version.String() || version.String() == "" {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}
