package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestSessionCookie: a cookie made by SessionCookie for a stored session
// signs its holder in, as the load command relies on; one for a token the
// server does not know, or made with another key, does not.
func TestSessionCookie(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	key := []byte("a test session key that is long enough") // newTestApp's
	token, err := a.store.CreateSession(context.Background(), a.resident.ID, a.srv.ttl)
	if err != nil {
		t.Fatal(err)
	}
	who := func(ck *http.Cookie) string {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, a.ts.URL+"/", nil)
		if err != nil {
			t.Fatal(err)
		}
		if ck != nil {
			req.AddCookie(ck)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b, _ := io.ReadAll(res.Body)
			t.Fatalf("GET / = %d: %s", res.StatusCode, b)
		}
		doc, err := goquery.NewDocumentFromReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(doc.Find("nav .who").Text())
	}

	ck, err := SessionCookie(key, token)
	if err != nil {
		t.Fatal(err)
	}
	if ck.Name != sessionName || !ck.HttpOnly || ck.Path != "/" {
		t.Errorf("cookie %+v: want %q, HttpOnly, Path /", ck, sessionName)
	}
	if got := who(ck); got != "("+a.resident.Name+")" {
		t.Errorf("signed in with SessionCookie, the header says %q; want (%s)", got, a.resident.Name)
	}
	if got := who(nil); got != "" {
		t.Errorf("without a cookie the header says %q; want a visitor", got)
	}
	unknown, err := SessionCookie(key, "no-such-token")
	if err != nil {
		t.Fatal(err)
	}
	if got := who(unknown); got != "" {
		t.Errorf("with a cookie for an unknown token the header says %q; want a visitor", got)
	}
	other, err := SessionCookie([]byte("another session key, also long enough"), token)
	if err != nil {
		t.Fatal(err)
	}
	if got := who(other); got != "" {
		t.Errorf("with a cookie made with another key the header says %q; want a visitor", got)
	}
	if _, err := SessionCookie([]byte("short"), token); err == nil {
		t.Error("SessionCookie took a key shorter than 32 bytes")
	}
}
