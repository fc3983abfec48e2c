package main

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
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
func TestServe(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"serve", "--addr", "127.0.0.1:0", "--db", db,
			"--site-url", "https://glossary.example.org", "--licence", "cc-by-4.0"}, strings.NewReader(""), &out, &errOut)
	}()

	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	deadline := time.Now().Add(30 * time.Second)
	for !url.MatchString(out.String()) {
		select {
		case code := <-done:
			t.Fatalf("serve ended with %d: %s %s", code, out.String(), errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no address: %q", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
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
	db := filepath.Join(t.TempDir(), "never.db")
	for _, args := range [][]string{{"--licence", "all-rights-reserved"}, {"--site-url", "ftp://glossary.example.org"}} {
		code, _, stderr := wg(t, "", append([]string{"serve", "--db", db}, args...)...)
		if code != 2 || !strings.Contains(stderr, args[0]) {
			t.Errorf("serve %v: exit %d, %q; want 2 naming the flag", args, code, stderr)
		}
	}
}
