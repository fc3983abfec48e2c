package store

import (
	"context"
	_ "embed"
	"errors"
	"testing"
	"time"

	"wordgarden/server/model"
)

func TestRegisterResident(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	before := time.Now()

	rc, err := f.s.RegisterResident(ctx, "  Dot Okafor ", f.peckham.ID, f.fran.ID)
	if err != nil {
		t.Fatal(err)
	}
	dot := rc.User
	if dot.Name != "Dot Okafor" || dot.Role != model.Resident || dot.NeighbourhoodID != f.peckham.ID || dot.Email != "" {
		t.Errorf("the registered account = %+v", dot)
	}
	if !rc.Welcome || len(rc.Code) != 9 {
		t.Errorf("the code = %+v, want a welcome code like ABCD-EFGH", rc)
	}
	if d := rc.Expires.Sub(before); d < model.WelcomeCodeTTL-time.Minute || d > model.WelcomeCodeTTL+time.Minute {
		t.Errorf("the code works for %v, want %v", d, model.WelcomeCodeTTL)
	}
	reg, err := f.s.Registration(ctx, dot.ID)
	if err != nil || reg.By != "Fran" || reg.ByID != f.fran.ID || reg.At.Before(before.Add(-time.Second)) {
		t.Errorf("Registration = %+v, %v, want by Fran just now", reg, err)
	}
	if reg, err := f.s.Registration(ctx, f.rae.ID); err != nil || !reg.At.IsZero() {
		t.Errorf("Rae joined with an invite, but Registration = %+v, %v", reg, err)
	}
	// Her data, exported for her, say so too.
	if d, err := f.s.PersonData(ctx, dot.ID); err != nil || d.Registered == nil || d.Registered.By != "Fran" || d.Joined != nil {
		t.Errorf("Dot's data: registered %+v, joined %+v, %v", d.Registered, d.Joined, err)
	}
	if d, err := f.s.PersonData(ctx, f.rae.ID); err != nil || d.Registered != nil {
		t.Errorf("Rae's data say she was registered at an event: %+v, %v", d.Registered, err)
	}

	// Nobody can sign in until the code is used: no password opens it.
	for _, p := range []string{"", "password", accountsPassword} {
		if _, err := f.s.Authenticate(ctx, "Dot Okafor", p); !errors.Is(err, model.ErrBadCredentials) {
			t.Errorf("sign-in with %q before the code was used: %v", p, err)
		}
	}

	// A lost slip: a new code replaces the first, and is a welcome code
	// again, for as long.
	lost := rc.Code
	if rc, err = f.s.CreateResetCode(ctx, dot.ID, f.finn.ID); err != nil || !rc.Welcome ||
		rc.Expires.Sub(before) < model.WelcomeCodeTTL-time.Minute {
		t.Fatalf("a new code for Dot = %+v, %v, want a welcome code", rc, err)
	}
	if _, _, err := f.s.ResetPassword(ctx, "Dot Okafor", lost, "a password of my own"); !errors.Is(err, model.ErrBadCode) {
		t.Errorf("the lost slip's code still works: %v", err)
	}
	u, first, err := f.s.ResetPassword(ctx, "dot okafor", rc.Code, "a password of my own")
	if err != nil || u.ID != dot.ID || !first {
		t.Fatalf("ResetPassword = %+v, first %v, %v; want Dot's first password", u, first, err)
	}
	if _, err := f.s.Authenticate(ctx, "Dot Okafor", "a password of my own"); err != nil {
		t.Errorf("sign-in with her password: %v", err)
	}
	if _, _, err := f.s.ResetPassword(ctx, "Dot Okafor", rc.Code, "another password"); !errors.Is(err, model.ErrBadCode) {
		t.Errorf("the code worked twice: %v", err)
	}
	if rc, err = f.s.CreateResetCode(ctx, dot.ID, f.fran.ID); err != nil || rc.Welcome {
		t.Errorf("once she has a password, a new code = %+v, %v, want a plain reset code", rc, err)
	}

	// The record of who vouched for her is never changed or deleted, and
	// stays when she is erased.
	for _, q := range []string{
		`UPDATE registrations SET registered_by = NULL WHERE user_id = ?`,
		`DELETE FROM registrations WHERE user_id = ?`,
	} {
		if _, err := f.s.w.Exec(q, dot.ID); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
	if _, err := f.s.EraseResident(ctx, dot.ID); err != nil {
		t.Fatal(err)
	}
	if reg, err := f.s.Registration(ctx, dot.ID); err != nil || reg.By != "Fran" {
		t.Errorf("after erasure Registration = %+v, %v", reg, err)
	}
}

func TestRegisterResidentRefuses(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	count := func() (n int) {
		t.Helper()
		for _, table := range []string{"users", "registrations", "reset_codes"} {
			var c int
			if err := f.s.r.QueryRow(`SELECT count(*) FROM ` + table).Scan(&c); err != nil {
				t.Fatal(err)
			}
			n += c
		}
		return n
	}
	before := count()
	tests := []struct {
		name, person  string
		neighbourhood int64
		field         string
		dup           bool
	}{
		{"no name", "  ", f.peckham.ID, "name", false},
		{"an at sign", "dot@example.org", f.peckham.ID, "name", false},
		{"another resident's name", "RAE QUARTERMAINE", f.peckham.ID, "name", true},
		{"the erased residents' name", model.FormerResident, f.peckham.ID, "name", false},
		{"no neighbourhood", "Dot", 0, "neighbourhood", false},
		{"an unknown neighbourhood", "Dot", f.peckham.ID + 99, "neighbourhood", false},
	}
	for _, tt := range tests {
		_, err := f.s.RegisterResident(ctx, tt.person, tt.neighbourhood, f.fran.ID)
		wantField(t, tt.name, err, tt.field)
		if tt.dup != errors.Is(err, model.ErrDuplicate) {
			t.Errorf("%s: err = %v, duplicate %v", tt.name, err, tt.dup)
		}
	}
	if n := count(); n != before {
		t.Errorf("refused registrations left %d rows behind", n-before)
	}
}

// TestUpgradeFromVersion4Registrations opens a database made with the
// version-4 schema (schemaV4) and checks that it keeps its accounts and
// takes registrations, as append-only as on a new database.
func TestUpgradeFromVersion4Registrations(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	s, path := upgraded(t, 4, schemaV4, []string{
		`INSERT INTO neighbourhoods (id, name, slug, created_at) VALUES (1, 'Peckham', 'peckham', ?1)`,
		`INSERT INTO users (id, email, name, role, password_hash, created_at)
			VALUES (1, 'fran@example.org', 'Fran', 'facilitator', 'x', ?1)`,
		`INSERT INTO users (id, name, role, neighbourhood_id, password_hash, created_at)
			VALUES (2, 'Rae', 'resident', 1, 'x', ?1)`,
	}, now)
	ctx := context.Background()
	if u, err := s.User(ctx, 2); err != nil || u.Name != "Rae" || u.NeighbourhoodSlug != "peckham" {
		t.Errorf("Rae after the upgrade = %+v, %v", u, err)
	}

	// What version 6 brings works on the upgraded database.
	rc, err := s.RegisterResident(ctx, "Dot", 1, 1)
	if err != nil || !rc.Welcome {
		t.Fatalf("a registration on the upgraded database = %+v, %v", rc, err)
	}
	if reg, err := s.Registration(ctx, rc.User.ID); err != nil || reg.By != "Fran" {
		t.Errorf("the registration read back = %+v, %v", reg, err)
	}
	if _, err := s.w.Exec(`DELETE FROM registrations`); err == nil {
		t.Error("the upgraded database lets a registration be deleted")
	}
	s.Close()
	if s, err = Open(path, cheapHashing); err != nil {
		t.Fatalf("open the upgraded database again: %v", err)
	}
	s.Close()
}
