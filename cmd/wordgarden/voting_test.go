package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/store/storetest"
	"wordgarden/server/tally"
)

func TestNeighbourhoodAndInvites(t *testing.T) {
	t.Parallel()
	db := newDatabase(t)
	code, out, errOut := wg(t, "", "neighbourhood", "add", "--db", db, "North Peckham")
	if code != 0 || !strings.Contains(out, "north-peckham") {
		t.Fatalf("neighbourhood add: exit %d, %q %q", code, out, errOut)
	}
	if code, _, _ := wg(t, "", "neighbourhood", "add", "--db", db, "north peckham"); code != 1 {
		t.Errorf("duplicate neighbourhood: exit %d, want 1", code)
	}
	if code, _, _ := wg(t, "", "neighbourhood", "add", "--db", db); code != 2 {
		t.Errorf("no name: exit %d, want 2", code)
	}

	code, out, errOut = wg(t, "", "invites", "--db", db, "--neighbourhood", "north-peckham", "--count", "3")
	if code != 0 {
		t.Fatalf("invites: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	codeLine := regexp.MustCompile(`^[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$`)
	if len(lines) != 3 {
		t.Fatalf("invites printed %q, want 3 lines", out)
	}
	for _, l := range lines {
		if !codeLine.MatchString(l) {
			t.Errorf("line %q is not a code", l)
		}
	}
	for _, args := range [][]string{
		{"--neighbourhood", "nowhere", "--count", "3"},
		{"--neighbourhood", "north-peckham"},
		{"--count", "3"},
		{"--neighbourhood", "north-peckham", "--count", "3", "--expires", "soon"},
	} {
		code, out, _ := wg(t, "", append([]string{"invites", "--db", db}, args...)...)
		if code == 0 || out != "" {
			t.Errorf("invites %v: exit %d, printed %q", args, code, out)
		}
	}

	// A printed code lets a resident join.
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, err := st.Join(context.Background(), lines[0], "Ola", "a long enough secret")
	if err != nil || u.NeighbourhoodSlug != "north-peckham" {
		t.Errorf("joining with a printed code: %+v, %v", u, err)
	}
}

// TestDemoAndTally fills a database with the demo, and recounts its closed
// round from the command line.
func TestDemoAndTally(t *testing.T) {
	t.Parallel()
	db := storetest.DSN(t)
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var out strings.Builder
	if err := loadStarter(ctx, st, &out); err != nil {
		t.Fatal(err)
	}
	if err := loadDemo(ctx, st, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "fran@demo.example") {
		t.Errorf("the demo does not say how to sign in: %q", out.String())
	}
	rounds, _ := st.Rounds(ctx, 0)
	if len(rounds) != 2 || !rounds[0].Open() || rounds[1].Open() {
		t.Fatalf("demo rounds: %+v", rounds)
	}
	closed := rounds[1]
	cn, _ := st.Term(ctx, "care-navigator")
	if closed.Outcome != "settled" || cn.AgreedVersionID != closed.WinnerVersionID {
		t.Errorf("the demo's closed round did not settle care navigator: %q, agreed %d winner %d",
			closed.Outcome, cn.AgreedVersionID, closed.WinnerVersionID)
	}
	// Loading the demo twice adds nothing.
	out.Reset()
	loadDemo(ctx, st, &out)
	if n, _ := st.CountUsers(ctx, model.Resident); n != 24 || !strings.Contains(out.String(), "no demo data added") {
		t.Errorf("second demo: %d residents, %q", n, out.String())
	}
	st.Close()

	code, stdout, stderr := wg(t, "", "tally", "--db", db, strconv.FormatInt(closed.ID, 10))
	if code != 0 || !strings.Contains(stdout, "The recount equals the stored result") || !strings.Contains(stdout, "24 ballots") {
		t.Errorf("tally: exit %d, %q %q", code, stdout, stderr)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	closes := rounds[0].ClosesAt.In(london).Format(tallyTime)
	if code, _, stderr := wg(t, "", "tally", "--db", db, strconv.FormatInt(rounds[0].ID, 10)); code != 1 ||
		!strings.Contains(stderr, fmt.Sprintf("round %d is still open: it closes at %s", rounds[0].ID, closes)) {
		t.Errorf("tally of an open round: exit %d, %q; want it to say it closes at %s", code, stderr, closes)
	}
	if code, _, stderr := wg(t, "", "tally", "--db", db, "999"); code != 1 || !strings.Contains(stderr, "there is no round 999") {
		t.Errorf("tally of no round: exit %d, %q", code, stderr)
	}
	if code, _, _ := wg(t, "", "tally", "--db", db, "x"); code != 2 {
		t.Errorf("tally x: exit %d, want 2", code)
	}
}

// TestTallyOfARoundNotYetCounted: a round past its closing time that no
// server has counted yet (no server ran) has no result to check, and tally,
// which only reads, says so and who counts it.
func TestTallyOfARoundNotYetCounted(t *testing.T) {
	t.Parallel()
	db := storetest.DSN(t)
	// The store's clock is two hours behind, so a round opened now may
	// close an hour ago.
	st, err := store.Open(db, cheapHashing, store.WithClock(func() time.Time { return time.Now().Add(-2 * time.Hour) }))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := loadStarter(ctx, st, io.Discard); err != nil {
		t.Fatal(err)
	}
	org, err := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	if err != nil {
		t.Fatal(err)
	}
	sam, err := st.CreateUser(ctx, model.NewUser{Email: "sam@example.org", Name: "Sam", Role: model.Partner, OrganisationID: org.ID, Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	fran, err := st.CreateUser(ctx, model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator, Password: "a long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	term, err := demoRound(ctx, st, "care-navigator", &sam, &sam, "One wording.", "Another wording.")
	if err != nil {
		t.Fatal(err)
	}
	closesAt := time.Now().Add(-time.Hour)
	r, err := st.OpenRound(ctx, model.NewRound{TermID: term.term, Candidates: term.versions, Method: tally.Approval,
		ClosesAt: closesAt, ThresholdPct: 50, OpenedBy: fran})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()

	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := wg(t, "", "tally", "--db", db, strconv.FormatInt(r.ID, 10))
	want := fmt.Sprintf("round %d closed at %s but is not counted yet", r.ID, closesAt.In(london).Format(tallyTime))
	if code != 1 || stdout != "" || !strings.Contains(stderr, want) || !strings.Contains(stderr, "wordgarden serve") ||
		!strings.Contains(stderr, fmt.Sprintf("/rounds/%d/results.json", r.ID)) {
		t.Errorf("tally of a round not yet counted: exit %d, %q %q; want %q, and who counts it", code, stdout, stderr, want)
	}
}
