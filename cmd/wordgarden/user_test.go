package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/store/storetest"
)

// TestUserCommands runs each account command on a database with a
// facilitator, a partner and a resident, and checks what it says and what
// the database then holds.
// userNamed is the id of the account that signs in with login.
func userNamed(t *testing.T, st *store.Store, login string) int64 {
	t.Helper()
	u, err := st.PersonBySignInName(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	db := storetest.DSN(t)
	ctx := context.Background()
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	council, err := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := st.CreateNeighbourhood(ctx, "Peckham")
	if err != nil {
		t.Fatal(err)
	}
	const password = "a long enough password"
	mk := func(nu model.NewUser) model.User {
		nu.Password = password
		u, err := st.CreateUser(ctx, nu)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	mk(model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator})
	sam := mk(model.NewUser{Email: "sam@example.org", Name: "Sam", Role: model.Partner, OrganisationID: council.ID})
	rae := mk(model.NewUser{Name: "Rae", Role: model.Resident, NeighbourhoodID: nb.ID})
	for range 2 {
		if _, err := st.CreateSession(ctx, rae.ID, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	// check opens the database to look at what a command did.
	check := func(fn func(*store.Store)) {
		t.Helper()
		st, err := store.Open(db, cheapHashing)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		fn(st)
	}

	tests := []struct {
		name string
		args []string
		code int
		out  string // in standard output (exit 0) or standard error
	}{
		{"list", []string{"list"}, 0, "resident     active   Rae"},
		{"list found", []string{"list", "--find", "EXAMPLE"}, 0, "sam@example.org"},
		{"switch off", []string{"disable", "sam@example.org"}, 0, "Switched off partner Sam <sam@example.org>"},
		{"switch off the last facilitator", []string{"disable", "fran@example.org"}, 1, "last facilitator"},
		{"no such account", []string{"disable", "nobody@example.org"}, 1, "no such account"},
		{"no account named", []string{"disable"}, 2, "name one account"},
		{"two ways of naming", []string{"disable", "Rae", "--id", "3"}, 2, "name one account"},
		{"switch on", []string{"enable", "--id", strconv.FormatInt(sam.ID, 10)}, 0, "Switched on partner Sam"},
		{"sign out", []string{"sign-out", "rae"}, 0, "2 sessions ended"},
		{"rename without a name", []string{"rename", "Rae"}, 2, "give the new name"},
		{"rename", []string{"rename", "Rae", "--to", "Rae Q"}, 0, "Renamed resident Rae of Peckham (#3) to Rae Q. Residents sign in"},
		{"rename to a bad name", []string{"rename", "--to", "a former resident", "Rae Q"}, 1, "erased"},
		{"erase without --yes", []string{"erase", "Rae Q"}, 2, "--yes"},
		{"erase a partner", []string{"erase", "--yes", "sam@example.org"}, 1, "Only residents"},
		{"unknown", []string{"frobnicate", "Rae Q"}, 2, "no user command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := wg(t, "", append([]string{"user", tt.args[0], "--db", db}, tt.args[1:]...)...)
			got := out
			if code != 0 {
				got = errOut
			}
			if code != tt.code || !strings.Contains(got, tt.out) {
				t.Errorf("exit %d, out %q, err %q; want exit %d and %q", code, out, errOut, tt.code, tt.out)
			}
		})
	}
	check(func(st *store.Store) {
		if _, err := st.Authenticate(ctx, "sam@example.org", password); err != nil {
			t.Errorf("Sam after switching off and on: %v", err)
		}
		if n, _ := st.CountSessions(ctx, rae.ID); n != 0 {
			t.Errorf("Rae has %d sessions after sign-out", n)
		}
		if u, _ := st.User(ctx, rae.ID); u.Name != "Rae Q" {
			t.Errorf("Rae is called %q", u.Name)
		}
	})

	// reset prints the code and nothing else on standard output.
	code, out, errOut := wg(t, "", "user", "reset", "--db", db, "Rae Q")
	if code != 0 || !regexp.MustCompile(`^[2-9A-Z]{4}-[2-9A-Z]{4}\n$`).MatchString(out) || !strings.Contains(errOut, "/reset") {
		t.Fatalf("reset: exit %d, out %q, err %q", code, out, errOut)
	}
	check(func(st *store.Store) {
		if _, _, err := st.ResetPassword(ctx, "rae q", strings.TrimSpace(out), "a password of her own"); err != nil {
			t.Errorf("the printed code does not work: %v", err)
		}
	})

	// add --role resident registers a resident as at an event: the code,
	// and only the code, on standard output; no password is read.
	code, out, errOut = wg(t, "", "user", "add", "--db", db, "--role", "resident", "--name", "Dot", "--neighbourhood", "peckham")
	if code != 0 || !regexp.MustCompile(`^[2-9A-Z]{4}-[2-9A-Z]{4}\n$`).MatchString(out) || !strings.Contains(errOut, "/welcome") {
		t.Fatalf("add a resident: exit %d, out %q, err %q", code, out, errOut)
	}
	check(func(st *store.Store) {
		if _, err := st.Authenticate(ctx, "Dot", ""); !errors.Is(err, model.ErrBadCredentials) {
			t.Errorf("Dot signs in before choosing a password: %v", err)
		}
		if _, first, err := st.ResetPassword(ctx, "Dot", strings.TrimSpace(out), "a password of her own"); err != nil || !first {
			t.Errorf("the printed code: first %v, %v", first, err)
		}
		if reg, err := st.Registration(ctx, userNamed(t, st, "Dot")); err != nil || reg.At.IsZero() || reg.ByID != 0 {
			t.Errorf("Dot's registration = %+v, %v", reg, err)
		}
	})
	for _, tt := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--name", "dot", "--neighbourhood", "peckham"}, 1, "Another resident has this name"},
		{[]string{"--name", "Eve", "--neighbourhood", "atlantis"}, 2, "no neighbourhood"},
		{[]string{"--name", "Eve"}, 2, "--neighbourhood"},
		{[]string{"--name", "Eve", "--neighbourhood", "peckham", "--email", "eve@example.org"}, 2, "nothing else"},
	} {
		code, _, errOut := wg(t, "", append([]string{"user", "add", "--db", db, "--role", "resident"}, tt.args...)...)
		if code != tt.code || !strings.Contains(errOut, tt.msg) {
			t.Errorf("add a resident %v: exit %d, %q; want %d and %q", tt.args, code, errOut, tt.code, tt.msg)
		}
	}

	// export writes JSON to standard output, or to a new file.
	code, out, _ = wg(t, "", "user", "export", "--db", db, "Rae Q")
	var d model.PersonData
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || d.Account.Name != "Rae Q" || d.Account.Neighbourhood != "Peckham" {
		t.Errorf("export: exit %d, %q", code, out)
	}
	file := filepath.Join(t.TempDir(), "rae.json")
	if code, _, errOut := wg(t, "", "user", "export", "--db", db, "--out", file, "Rae Q"); code != 0 {
		t.Fatalf("export --out: exit %d, %s", code, errOut)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the export file: %v, %v; want mode 0600", info.Mode(), err)
	}
	if code, _, errOut := wg(t, "", "user", "export", "--db", db, "--out", file, "Rae Q"); code != 1 || !strings.Contains(errOut, "exists already") {
		t.Errorf("export over a file: exit %d, %q", code, errOut)
	}

	// erase --yes: the name and account are gone.
	code, out, _ = wg(t, "", "user", "erase", "--db", db, "--yes", "Rae Q")
	if code != 0 || !strings.Contains(out, "Erased resident #3") || strings.Contains(out, "Rae") {
		t.Errorf("erase: exit %d, %q", code, out)
	}
	if _, out, _ = wg(t, "", "user", "list", "--db", db); strings.Contains(out, "Rae") {
		t.Errorf("the list after erasure: %q", out)
	}
	check(func(st *store.Store) {
		if _, err := st.Authenticate(ctx, "Rae Q", "a password of her own"); !errors.Is(err, model.ErrBadCredentials) {
			t.Errorf("sign-in after erasure: %v", err)
		}
	})

	if code, _, errOut := wg(t, "", "user", "list", "--db", filepath.Join(t.TempDir(), "none.db")); code != 1 || !strings.Contains(errOut, "no database") {
		t.Errorf("a missing database: exit %d, %q", code, errOut)
	}
}
