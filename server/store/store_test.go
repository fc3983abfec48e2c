package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"wordgarden/server/model"
	"wordgarden/server/store/storetest"
)

// cheapHashing is the store option of these tests: hashing strength is
// bcrypt's business, not theirs (TestPasswordCost checks the default).
var cheapHashing = WithPasswordCost(bcrypt.MinCost)

// newStore opens a store on a fresh database, on the test run's backend
// (storetest).
func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(storetest.DSN(t), cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// newSQLiteStore opens a store on a fresh SQLite file, whichever backend
// the test run is on: for tests of what only SQLite has (its backups, its
// query plans).
func newSQLiteStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "test.db"), cheapHashing)
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
	t.Parallel()
	path := filepath.Join(t.TempDir(), "v.db")
	s, err := Open(path, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	var v int
	if err := s.r.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	if v != legacySchemaVersion {
		t.Errorf("user_version = %d, want %d", v, legacySchemaVersion)
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
	s, err = Open(path, cheapHashing)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	// A database from a newer wordgarden is refused, not damaged.
	if _, err := s.w.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(path, cheapHashing); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open of a newer schema: err = %v, want one saying it is newer", err)
	}
}

func TestUsers(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
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
	t.Parallel()
	path := filepath.Join(t.TempDir(), "k.db")
	s, err := Open(path, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	k1, err := s.SessionKey(context.Background())
	if err != nil || len(k1) < 32 {
		t.Fatalf("SessionKey = %d bytes, %v", len(k1), err)
	}
	s.Close()
	s, _ = Open(path, cheapHashing)
	defer s.Close()
	k2, _ := s.SessionKey(context.Background())
	if string(k1) != string(k2) {
		t.Error("the session key changed after reopening the database")
	}
}

// TestConcurrentWrites proves that many writers at once all succeed: none
// is told "database is locked".
func TestConcurrentWrites(t *testing.T) {
	t.Parallel()
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

// TestPasswordCost: accounts, whether made by a facilitator or by joining
// with a code, are hashed at the store's cost, bcrypt's default unless
// told otherwise; and the hash an unknown name is checked against has the
// same cost, so that its sign-in takes as long as a known name's.
func TestPasswordCost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, c := range []struct {
		name string
		opts []Option
		want int
	}{
		{"default", nil, bcrypt.DefaultCost},
		{"lowered", []Option{WithPasswordCost(bcrypt.MinCost + 1)}, bcrypt.MinCost + 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s, err := Open(filepath.Join(t.TempDir(), "cost.db"), c.opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			org, err := s.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
			if err != nil {
				t.Fatal(err)
			}
			partner, err := s.CreateUser(ctx, model.NewUser{Email: "ada@example.org", Name: "Ada", Role: model.Partner,
				OrganisationID: org.ID, Password: "a long enough passphrase"})
			if err != nil {
				t.Fatal(err)
			}
			n, err := s.CreateNeighbourhood(ctx, "Peckham")
			if err != nil {
				t.Fatal(err)
			}
			codes, err := s.CreateInvites(ctx, n.ID, 1, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			resident, err := s.Join(ctx, codes[0], "Rae", "a resident's passphrase")
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range []model.User{partner, resident} {
				var hash string
				if err := s.r.QueryRow("SELECT password_hash FROM users WHERE id = ?", u.ID).Scan(&hash); err != nil {
					t.Fatal(err)
				}
				if got, err := bcrypt.Cost([]byte(hash)); err != nil || got != c.want {
					t.Errorf("%s's password hash has cost %d (%v), want %d", u.Name, got, err, c.want)
				}
			}
			if got, err := bcrypt.Cost(s.dummyHash); err != nil || got != c.want {
				t.Errorf("the hash for unknown names has cost %d (%v), want %d", got, err, c.want)
			}
			if _, err := s.Authenticate(ctx, "nobody@example.org", "a long enough passphrase"); !errors.Is(err, model.ErrBadCredentials) {
				t.Errorf("unknown name: %v, want ErrBadCredentials", err)
			}
		})
	}

	for _, cost := range []int{bcrypt.MinCost - 1, bcrypt.MaxCost + 1} {
		s, err := Open(filepath.Join(t.TempDir(), "bad.db"), WithPasswordCost(cost))
		if err == nil {
			s.Close()
			t.Errorf("Open with password cost %d: no error", cost)
		} else if !strings.Contains(err.Error(), fmt.Sprint(cost)) {
			t.Errorf("Open with password cost %d: %v, want an error naming the cost", cost, err)
		}
	}
}
