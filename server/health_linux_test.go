package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/tally"
)

// tmpfs mounts a small file system of its own for a test, as big as size
// ("16m"), and unmounts it when the test ends. Mounting needs root; without
// it the test skips, saying so. CI runs as root (.ci/run), and there a
// mount that fails is a failure, not a skip.
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: this test mounts a file system of its own, which needs root (CI runs it as root)")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mount a tmpfs as root: %v", err)
		}
		t.Skipf("skipped: mount a tmpfs: %v", err)
	}
	// MNT_DETACH: a test that failed with a file still open must not leave
	// the mount behind.
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// TestHealthzOnAFullDisk fills the disk under a real database while a vote
// is open. Ballots fail (500), and /healthz must say so (503), as it did
// not when its check wrote one small row; once there is room again, both
// recover.
func TestHealthzOnAFullDisk(t *testing.T) {
	t.Parallel()
	dir := tmpfs(t, "16m")
	st, err := store.Open(filepath.Join(dir, "full.db"), store.WithPasswordCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	atEnd(t, func() { st.Close() })
	srv, err := New(Config{Store: st, SessionKey: []byte("a test session key that is long enough"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	a := &testApp{t: t, srv: srv, store: st, ts: httptest.NewServer(srv)}
	atEnd(t, a.ts.Close)
	ctx := context.Background()
	hub, err := st.CreateOrganisation(ctx, "Peckham Community Hub", model.Voluntary)
	if err != nil {
		t.Fatal(err)
	}
	a.facilitator = a.user(model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator})
	a.voluntary = a.user(model.NewUser{Email: "val@example.org", Name: "Val", Role: model.Partner, OrganisationID: hub.ID})
	peckham, err := st.CreateNeighbourhood(ctx, "Peckham")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ImportTerm(ctx, "Wellbeing", "", "How well you feel, in body and mind."); err != nil {
		t.Fatal(err)
	}
	r := a.openRound("wellbeing")
	var voters []model.User
	for i := range 2000 {
		voters = append(voters, a.user(model.NewUser{Name: fmt.Sprint("Voter ", i), Role: model.Resident, NeighbourhoodID: peckham.ID}))
	}
	rae := a.as(a.user(model.NewUser{Name: "Rae", Role: model.Resident, NeighbourhoodID: peckham.ID}))
	rae.csrf()
	ballot := url.Values{"approve": {strconv.FormatInt(r.Candidates[1].ID, 10)}}
	a.visitor().get("/healthz").wantStatus(t, http.StatusOK)

	// Fill the disk, then vote until a ballot does not fit.
	fill, err := os.Create(filepath.Join(dir, "fill"))
	if err != nil {
		t.Fatal(err)
	}
	for block := make([]byte, 64<<10); ; {
		if _, err := fill.Write(block); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	fill.Close()
	failed := false
	for _, v := range voters {
		if _, err := st.CastBallot(ctx, r.ID, v, tally.Ballot{Approve: []int64{r.Candidates[0].ID}}); err != nil {
			failed = true
			break
		}
	}
	if !failed {
		t.Fatal("every ballot fitted on the full disk: make the test's file system smaller or its voters more")
	}
	rae.post(a.roundPath(r.ID)+"/ballot", ballot).wantStatus(t, http.StatusInternalServerError)
	for range 3 {
		a.visitor().get("/healthz").wantStatus(t, http.StatusServiceUnavailable)
	}

	// Room again: ballots go through, and the site is healthy.
	if err := os.Remove(fill.Name()); err != nil {
		t.Fatal(err)
	}
	rae.post(a.roundPath(r.ID)+"/ballot", ballot).wantStatus(t, http.StatusOK)
	a.visitor().get("/healthz").wantStatus(t, http.StatusOK)
}
