package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"wordgarden/server/store/storetest"
	"wordgarden/server/wait"
)

// Two wordgarden processes on one PostgreSQL database, as behind a load
// balancer: residents vote through both, a facilitator closes the vote
// through one, and the other shows the results at once, though it had the
// open round's page cached. A sign-out through one ends the session on the
// other; wrong passwords through both count against one limit.
func TestTwoServers(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("two servers share a PostgreSQL database: set " + storetest.Env + " to run it")
	}
	t.Parallel()
	dir := t.TempDir()
	bin, err := buildBinary(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.DSN(t)
	fx := newVotingDB(t, db, 8)
	fran := sessionCookie(t, fx.st, fx.facilitator)
	if err := fx.st.Close(); err != nil {
		t.Fatal(err)
	}
	a := startBinary(t, bin, db, dir, "a")
	b := startBinary(t, bin, db, dir, "b")
	client := &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	// B shows the open round, and keeps the page.
	roundPath := fmt.Sprintf("/rounds/%d", fx.open.ID)
	openMark := fmt.Sprintf(`href="/login?next=/rounds/%d"`, fx.open.ID) // "sign in to vote"
	for range 2 {
		if status, body := get(t, b.url, roundPath); status != http.StatusOK || !strings.Contains(string(body), openMark) {
			t.Fatalf("B: GET %s = %d, want the open round, asking to sign in to vote", roundPath, status)
		}
	}

	// Residents vote through both.
	for i := range fx.residents {
		srv := []*binaryServer{a, b}[i%2]
		status, body, err := postBallot(t.Context(), client, srv.url+roundPath+"/ballot", fx.cookies[i], []int64{fx.b.ID})
		if err != nil || status != http.StatusOK || !receiptRE.MatchString(body) {
			t.Fatalf("%s's ballot through %s: %d, %v", fx.residents[i].Name, srv.name, status, err)
		}
	}

	// Fran closes the vote through A; B answers with the results.
	if status := post(t, client, a.url, roundPath+"/close", fran, nil); status != http.StatusSeeOther {
		t.Fatalf("A: close = %d, want 303", status)
	}
	wait.For(t, 5*time.Second, "B to show the round closed", func() bool {
		_, body := get(t, b.url, roundPath)
		return !strings.Contains(string(body), openMark)
	})
	status, body := get(t, b.url, roundPath+"/results.json")
	var res struct {
		Ballots int `json:"ballots"`
	}
	if err := json.Unmarshal(body, &res); status != http.StatusOK || err != nil {
		t.Fatalf("B: results.json = %d, %v: %.300s", status, err, body)
	}
	if res.Ballots != len(fx.residents) {
		t.Errorf("B: results.json counts %d ballots, want the %d cast through both: %.300s", res.Ballots, len(fx.residents), body)
	}
	// Closing again through B is refused: the round was closed once.
	if status := post(t, client, b.url, roundPath+"/close", fran, nil); status != http.StatusConflict {
		t.Errorf("B: closing again = %d, want 409", status)
	}

	// A resident signed in on B signs out through A: B forgets her session
	// at once, not when its cache of sessions next reads it (10 s).
	ck := fx.cookies[0]
	if status, _ := getAs(t, client, b.url+"/account", ck); status != http.StatusOK {
		t.Fatalf("B: her account page = %d, want 200", status)
	}
	if status := post(t, client, a.url, "/logout", ck, nil); status != http.StatusSeeOther {
		t.Fatalf("A: sign out = %d, want 303", status)
	}
	wait.For(t, 3*time.Second, "B to forget the ended session", func() bool {
		status, _ := getAs(t, client, b.url+"/account", ck)
		return status != http.StatusOK
	})

	// Five wrong passwords for Fran, through both servers, use up the
	// account's tries at this address: the right one is refused next, on
	// either.
	for i := range 5 {
		srv := []*binaryServer{a, b}[i%2]
		form := url.Values{"email": {"fran@example.org"}, "password": {fmt.Sprintf("wrong guess %d", i)}}
		if status := post(t, client, srv.url, "/login", nil, form); status != http.StatusUnauthorized {
			t.Fatalf("%s: wrong password %d = %d, want 401", srv.name, i+1, status)
		}
	}
	form := url.Values{"email": {"fran@example.org"}, "password": {"facilitator password"}}
	for _, srv := range []*binaryServer{a, b} {
		if status := post(t, client, srv.url, "/login", nil, form); status != http.StatusTooManyRequests {
			t.Errorf("%s: the right password after five wrong ones = %d, want 429", srv.name, status)
		}
	}
	a.stop(t)
	b.stop(t)
}

// post is postForm, failing the test if the request does.
func post(t *testing.T, client *http.Client, base, path string, ck *http.Cookie, form url.Values) int {
	t.Helper()
	status, err := postForm(t.Context(), client, base, path, ck, form)
	if err != nil {
		t.Fatal(err)
	}
	return status
}

// getAs gets u, signed in with ck if it is not nil, and returns the status
// and the page.
func getAs(t testing.TB, client *http.Client, u string, ck *http.Cookie) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ck != nil {
		req.AddCookie(ck)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, string(b)
}
