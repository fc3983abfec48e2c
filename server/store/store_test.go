package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"wordgarden/server/model"
)

func TestMain(m *testing.M) {
	bcryptCost = bcrypt.MinCost // hashing strength is bcrypt's business, not these tests'
	os.Exit(m.Run())
}

// newStore opens a store on a fresh database file.
func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newPartner makes an organisation of the sector and a partner in it.
func newPartner(t testing.TB, s *Store, name string, sector model.Sector) model.User {
	t.Helper()
	ctx := context.Background()
	o, err := s.OrganisationByName(ctx, name+" org")
	if errors.Is(err, model.ErrNotFound) {
		o, err = s.CreateOrganisation(ctx, name+" org", sector)
	}
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, model.NewUser{
		Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org", Name: name,
		Role: model.Partner, OrganisationID: o.ID, Password: "correct horse battery",
	})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestOpenKeepsSchemaVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := s.r.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != schemaVersion {
		t.Errorf("user_version = %d, want %d", v, schemaVersion)
	}
	var mode string
	if err := s.r.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
	var fk int
	if err := s.w.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d (%v), want 1", fk, err)
	}
	s.Close()

	// Opening again applies the schema again without harm.
	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	// A database from a newer wordgarden is refused, not damaged.
	if _, err := s.w.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer schema: err = %v, want one saying it is newer", err)
	}
}

func TestUsers(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	org, err := s.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateOrganisation(ctx, "southwark council", model.Voluntary); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("second organisation with the same name: err = %v, want ErrDuplicate", err)
	}
	if _, err := s.CreateOrganisation(ctx, "Somewhere", "charity"); err == nil {
		t.Error("organisation with an unknown sector was accepted")
	}

	good := model.NewUser{Email: "ada@example.org", Name: "Ada", Role: model.Partner, OrganisationID: org.ID, Password: "a long enough passphrase"}
	tests := []struct {
		name  string
		edit  func(*model.NewUser)
		field string
	}{
		{"no email", func(u *model.NewUser) { u.Email = "" }, "email"},
		{"bad email", func(u *model.NewUser) { u.Email = "ada at example" }, "email"},
		{"no name", func(u *model.NewUser) { u.Name = "  " }, "name"},
		{"bad role", func(u *model.NewUser) { u.Role = "admin" }, "role"},
		{"partner without organisation", func(u *model.NewUser) { u.OrganisationID = 0 }, "organisation"},
		{"facilitator with organisation", func(u *model.NewUser) { u.Role = model.Facilitator }, "organisation"},
		{"short password", func(u *model.NewUser) { u.Password = "short" }, "password"},
		{"password over 72 bytes", func(u *model.NewUser) { u.Password = strings.Repeat("x", 73) }, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nu := good
			tt.edit(&nu)
			_, err := s.CreateUser(ctx, nu)
			var ve *model.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Errorf("err = %v, want a ValidationError on %q", err, tt.field)
			}
		})
	}
	if n, _ := s.CountUsers(ctx, model.Partner); n != 0 {
		t.Fatalf("invalid users were stored: %d partners", n)
	}

	u, err := s.CreateUser(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if u.OrganisationName != "Southwark Council" || u.Sector != model.Statutory {
		t.Errorf("user's organisation = %q %q", u.OrganisationName, u.Sector)
	}
	dup := good
	dup.Email = "ADA@example.org"
	if _, err := s.CreateUser(ctx, dup); !errors.Is(err, model.ErrDuplicate) {
		t.Errorf("same email in other case: err = %v, want ErrDuplicate", err)
	}

	if got, err := s.Authenticate(ctx, "Ada@Example.org", good.Password); err != nil || got.ID != u.ID {
		t.Errorf("Authenticate = %v, %v; want user %d", got.ID, err, u.ID)
	}
	for _, c := range [][2]string{{"ada@example.org", "wrong password!"}, {"nobody@example.org", good.Password}} {
		if _, err := s.Authenticate(ctx, c[0], c[1]); !errors.Is(err, model.ErrBadCredentials) {
			t.Errorf("Authenticate(%q, %q) = %v, want ErrBadCredentials", c[0], c[1], err)
		}
	}
	var hash string
	if err := s.r.QueryRow("SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$2") || strings.Contains(hash, good.Password) {
		t.Errorf("stored password is not a bcrypt hash: %q", hash)
	}
}

func TestSessions(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	u := newPartner(t, s, "Bea", model.Voluntary)
	token, err := s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionUser(ctx, token); err != nil || got.ID != u.ID {
		t.Fatalf("SessionUser = %d, %v; want %d", got.ID, err, u.ID)
	}
	if _, err := s.SessionUser(ctx, token+"x"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("unknown token: err = %v, want ErrNotFound", err)
	}
	var stored int
	s.r.QueryRow("SELECT count(*) FROM sessions WHERE token_hash = ?", token).Scan(&stored)
	if stored != 0 {
		t.Error("the raw token is stored; only its hash should be")
	}
	if err := s.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("after DeleteSession: err = %v, want ErrNotFound", err)
	}

	// Sessions expire.
	start := time.Now()
	s.now = func() time.Time { return start }
	token, _ = s.CreateSession(ctx, u.ID, time.Minute)
	s.now = func() time.Time { return start.Add(2 * time.Minute) }
	if _, err := s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("expired session: err = %v, want ErrNotFound", err)
	}
}

func TestSessionKeyIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	k1, err := s.SessionKey(context.Background())
	if err != nil || len(k1) < 32 {
		t.Fatalf("SessionKey = %d bytes, %v", len(k1), err)
	}
	s.Close()
	s, _ = Open(path)
	defer s.Close()
	k2, _ := s.SessionKey(context.Background())
	if string(k1) != string(k2) {
		t.Error("the session key changed after reopening the database")
	}
}

// TestConcurrentWrites proves that many writers at once all succeed: none
// is told "database is locked".
func TestConcurrentWrites(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	u := newPartner(t, s, "Cy", model.Statutory)
	_, _, err := s.CreateTerm(ctx, "Busy term", model.NewVersion{Markdown: "First.", Author: &u})
	if err != nil {
		t.Fatal(err)
	}
	term, _ := s.Term(ctx, "busy-term")
	const writers, each = 16, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if i%2 == 0 {
					_, _, err := s.CreateTerm(ctx, fmt.Sprintf("Term %d %d", w, i), model.NewVersion{Markdown: "Words.", Author: &u})
					errs <- err
				} else {
					_, err := s.CreateVersion(ctx, term.ID, model.NewVersion{Markdown: fmt.Sprintf("Wording %d %d", w, i), Author: &u})
					errs <- err
				}
				if _, err := s.Terms(ctx); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.CountTerms(ctx); n != 1+writers*each/2 {
		t.Errorf("terms = %d, want %d", n, 1+writers*each/2)
	}
	vs, _ := s.Versions(ctx, term.ID)
	if len(vs) != 1+writers*each/2 {
		t.Errorf("versions = %d, want %d", len(vs), 1+writers*each/2)
	}
}
