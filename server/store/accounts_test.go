package store

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// schemaV1 is schema.sql as it was at user_version 1, before accounts could
// be switched off or erased.
//
//go:embed testdata/schema-v1.sql
var schemaV1 string

// TestUpgradeFromVersion1 opens a database made with the version-1 schema
// and checks that the upgrade keeps its rows and gives it what version 2
// has: the new columns, the changed index and trigger, the new table.
func TestUpgradeFromVersion1(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	s, path := upgraded(t, 1, schemaV1, []string{
		`INSERT INTO organisations (id, name, sector, created_at) VALUES (1, 'Southwark Council', 'statutory', ?1)`,
		`INSERT INTO neighbourhoods (id, slug, name, created_at) VALUES (1, 'peckham', 'Peckham', ?1)`,
		`INSERT INTO users (id, email, name, role, organisation_id, password_hash, created_at)
			VALUES (1, 'sam@example.org', 'Sam', 'partner', 1, 'x', ?1)`,
		`INSERT INTO users (id, name, role, neighbourhood_id, password_hash, created_at)
			VALUES (2, 'Rae', 'resident', 1, 'x', ?1)`,
		`INSERT INTO terms (id, slug, title, created_at, updated_at) VALUES (1, 'care-navigator', 'Care navigator', ?1, ?1)`,
		`INSERT INTO versions (id, term_id, author_id, author_name, author_role, organisation_name, sector,
			markdown, html, text, summary, created_at)
			VALUES (1, 1, 1, 'Sam', 'partner', 'Southwark Council', 'statutory', 'A guide.', '<p>A guide.</p>', 'A guide.', 'A guide.', ?1)`,
		`INSERT INTO comments (id, version_id, author_id, author_name, author_role, neighbourhood_name, kind, markdown, html, created_at)
			VALUES (1, 1, 2, 'Rae', 'resident', 'Peckham', 'question', 'What is it?', '<p>What is it?</p>', ?1)`,
	}, now)
	ctx := context.Background()
	sam, err := s.User(ctx, 1)
	if err != nil || sam.Name != "Sam" || sam.OrganisationName != "Southwark Council" || sam.Disabled() || sam.Erased() {
		t.Errorf("Sam after the upgrade = %+v, %v", sam, err)
	}
	rae, err := s.User(ctx, 2)
	if err != nil || rae.Name != "Rae" || rae.NeighbourhoodName != "Peckham" {
		t.Errorf("Rae after the upgrade = %+v, %v", rae, err)
	}
	if c, err := s.Comment(ctx, 1); err != nil || c.AuthorName != "Rae" || c.Markdown != "What is it?" {
		t.Errorf("the comment after the upgrade = %+v, %v", c, err)
	}

	// What version 2 brings works on the upgraded database.
	if _, err := s.DisableUser(ctx, sam.ID, 0); err != nil {
		t.Errorf("switch off an upgraded account: %v", err)
	}
	if _, err := s.CreateResetCode(ctx, rae.ID, 0); err != nil {
		t.Errorf("a reset code on the upgraded database: %v", err)
	}
	if _, err := s.EraseResident(ctx, rae.ID); err != nil {
		t.Fatalf("erase on the upgraded database: %v", err)
	}
	if c, _ := s.Comment(ctx, 1); c.AuthorName != model.FormerResident {
		t.Errorf("the erased resident's comment reads %q", c.AuthorName)
	}
	// The changed trigger still refuses any other edit.
	if _, err := s.w.Exec(`UPDATE comments SET markdown = 'edited' WHERE id = 1`); err == nil {
		t.Error("the upgraded database lets a comment be edited")
	}
	if _, err := s.w.Exec(`UPDATE comments SET author_name = 'Someone' WHERE id = 1`); err == nil {
		t.Error("the upgraded database lets a comment's author be renamed")
	}
	// The changed index lets a new resident take the erased one's name.
	if _, err := s.CreateUser(ctx, model.NewUser{Name: "Rae", Role: model.Resident, NeighbourhoodID: 1, Password: "resident password"}); err != nil {
		t.Errorf("a new Rae after the erasure: %v", err)
	}
	s.Close()
	if s, err = Open(path, cheapHashing); err != nil {
		t.Fatalf("open the upgraded database again: %v", err)
	}
}

// accountsFixture is a store with two facilitators, a partner and a
// resident with a comment.
type accountsFixture struct {
	s          *Store
	fran, finn model.User // facilitators
	sam        model.User // partner
	rae        model.User // resident of Peckham
	peckham    model.Neighbourhood
	version    model.Version
	comment    model.Comment
}

const accountsPassword = "correct horse battery"

func newAccounts(t *testing.T) accountsFixture {
	t.Helper()
	ctx := context.Background()
	s := newStore(t)
	f := accountsFixture{s: s, sam: newPartner(t, s, "Sam", model.Statutory)}
	var err error
	mk := func(nu model.NewUser) model.User {
		t.Helper()
		nu.Password = accountsPassword
		u, err := s.CreateUser(ctx, nu)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.fran = mk(model.NewUser{Email: "fran@example.org", Name: "Fran", Role: model.Facilitator})
	f.finn = mk(model.NewUser{Email: "finn@example.org", Name: "Finn", Role: model.Facilitator})
	if f.peckham, err = s.CreateNeighbourhood(ctx, "Peckham"); err != nil {
		t.Fatal(err)
	}
	f.rae = mk(model.NewUser{Name: "Rae Quartermaine", Role: model.Resident, NeighbourhoodID: f.peckham.ID})
	if _, f.version, err = s.CreateTerm(ctx, "Care navigator", model.NewVersion{Markdown: "A guide to services.", Author: &f.sam}); err != nil {
		t.Fatal(err)
	}
	if f.comment, err = s.CreateComment(ctx, model.NewComment{VersionID: f.version.ID, Kind: model.TriedIt,
		Markdown: "My neighbours understood it.", Author: &f.rae}, 0); err != nil {
		t.Fatal(err)
	}
	return f
}

// session signs u in and looks the session up once, so it is in the cache.
func (f accountsFixture) session(t *testing.T, u model.User) string {
	t.Helper()
	ctx := context.Background()
	token, err := f.s.CreateSession(ctx, u.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SessionUser(ctx, token); err != nil {
		t.Fatal(err)
	}
	return token
}

func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var ve *model.ValidationError
	if !errors.As(err, &ve) || ve.Field != field {
		t.Errorf("%s: err = %v, want a ValidationError on %q", what, err, field)
	}
}

func TestEndSessions(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	phone, laptop := f.session(t, f.sam), f.session(t, f.sam)
	other := f.session(t, f.rae)

	n, err := f.s.EndSessions(ctx, f.sam.ID)
	if err != nil || n != 2 {
		t.Fatalf("EndSessions = %d, %v; want 2", n, err)
	}
	// Both were just used, so cached: they stop working at once all the same.
	for _, token := range []string{phone, laptop} {
		if _, err := f.s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
			t.Errorf("an ended session still works: %v", err)
		}
	}
	if u, err := f.s.SessionUser(ctx, other); err != nil || u.ID != f.rae.ID {
		t.Errorf("someone else's session ended too: %v", err)
	}
	if n, _ := f.s.CountSessions(ctx, f.sam.ID); n != 0 {
		t.Errorf("%d sessions left", n)
	}
	if _, err := f.s.EndSessions(ctx, 9999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("EndSessions of no one: %v", err)
	}
}

// TestEndSessionsWhileInUse ends a person's sessions while a lookup of
// one of them has read it from the database and not yet cached it. That
// lookup may answer with the session (it began before the end), but the
// cache must not trust what it keeps afterwards.
func TestEndSessionsWhileInUse(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	token, err := f.s.CreateSession(ctx, f.sam.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	read, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	f.s.afterSessionRead = func() {
		once.Do(func() {
			close(read)
			<-release
		})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.s.SessionUser(ctx, token)
	}()
	<-read
	if _, err := f.s.EndSessions(ctx, f.sam.ID); err != nil {
		t.Fatal(err)
	}
	close(release)
	<-done
	if _, err := f.s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("an ended session works, from a lookup cached as it ended: %v", err)
	}
}

func TestDisableUser(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	token := f.session(t, f.sam)
	if _, err := f.s.CreateResetCode(ctx, f.sam.ID, f.fran.ID); err != nil {
		t.Fatal(err)
	}

	u, err := f.s.DisableUser(ctx, f.sam.ID, f.fran.ID)
	if err != nil || !u.Disabled() || u.Status() != "switched off" {
		t.Fatalf("DisableUser = %+v, %v", u, err)
	}
	if _, err := f.s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the session of a switched-off account still works: %v", err)
	}
	if _, err := f.s.Authenticate(ctx, "sam@example.org", accountsPassword); !errors.Is(err, model.ErrDisabled) {
		t.Errorf("sign-in to a switched-off account with its password: %v, want ErrDisabled", err)
	}
	if _, err := f.s.Authenticate(ctx, "sam@example.org", "a wrong password"); !errors.Is(err, model.ErrBadCredentials) {
		t.Errorf("a wrong password for a switched-off account: %v, want ErrBadCredentials (telling nothing more)", err)
	}
	var codes int
	f.s.r.QueryRow(`SELECT count(*) FROM reset_codes WHERE user_id = ?`, f.sam.ID).Scan(&codes)
	if codes != 0 {
		t.Errorf("switching off left %d reset codes that work", codes)
	}
	// Again changes nothing and is no error.
	if again, err := f.s.DisableUser(ctx, f.sam.ID, f.fran.ID); err != nil || !again.DisabledAt.Equal(u.DisabledAt) {
		t.Errorf("switching off twice: %v, %v then %v", err, u.DisabledAt, again.DisabledAt)
	}

	if u, err = f.s.EnableUser(ctx, f.sam.ID); err != nil || u.Disabled() {
		t.Fatalf("EnableUser = %+v, %v", u, err)
	}
	if _, err := f.s.Authenticate(ctx, "sam@example.org", accountsPassword); err != nil {
		t.Errorf("sign-in after switching on: %v", err)
	}
	if _, err := f.s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("switching on brought an old session back: %v", err)
	}

	wantField(t, "switching yourself off", func() error { _, err := f.s.DisableUser(ctx, f.fran.ID, f.fran.ID); return err }(), "")
	if _, err := f.s.DisableUser(ctx, f.finn.ID, f.fran.ID); err != nil {
		t.Fatalf("one facilitator switches another off: %v", err)
	}
	_, err = f.s.DisableUser(ctx, f.fran.ID, 0)
	wantField(t, "switching off the last facilitator", err, "")
	if err == nil || !strings.Contains(err.Error(), "last facilitator") {
		t.Errorf("the last facilitator: %v", err)
	}
	if _, err := f.s.DisableUser(ctx, 9999, f.fran.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("switching off no one: %v", err)
	}
}

func TestRenameUser(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	token := f.session(t, f.rae)
	sol, err := f.s.CreateUser(ctx, model.NewUser{Name: "Sol", Role: model.Resident, NeighbourhoodID: f.peckham.ID, Password: accountsPassword})
	if err != nil {
		t.Fatal(err)
	}

	u, err := f.s.RenameUser(ctx, f.rae.ID, "  Rae Q  ")
	if err != nil || u.Name != "Rae Q" {
		t.Fatalf("RenameUser = %+v, %v", u, err)
	}
	// The session shows the new name at once; she signs in with it.
	if got, _ := f.s.SessionUser(ctx, token); got.Name != "Rae Q" {
		t.Errorf("the session still says %q", got.Name)
	}
	if _, err := f.s.Authenticate(ctx, "rae q", accountsPassword); err != nil {
		t.Errorf("sign-in with the new name: %v", err)
	}
	if _, err := f.s.Authenticate(ctx, "Rae Quartermaine", accountsPassword); !errors.Is(err, model.ErrBadCredentials) {
		t.Errorf("sign-in with the old name: %v", err)
	}
	// Her comment keeps the name it was written under.
	if c, _ := f.s.Comment(ctx, f.comment.ID); c.AuthorName != "Rae Quartermaine" {
		t.Errorf("the comment's author became %q", c.AuthorName)
	}

	tests := []struct {
		name string
		id   int64
		to   string
	}{
		{"another resident's name", sol.ID, "RAE Q"},
		{"empty", sol.ID, "  "},
		{"an @ in a resident's name", sol.ID, "sol@example.org"},
		{"the erased residents' name", sol.ID, "a former resident"},
		{"too long", f.sam.ID, strings.Repeat("x", 101)},
	}
	for _, tt := range tests {
		_, err := f.s.RenameUser(ctx, tt.id, tt.to)
		wantField(t, tt.name, err, "name")
	}
	if got, _ := f.s.User(ctx, sol.ID); got.Name != "Sol" {
		t.Errorf("a refused rename changed Sol to %q", got.Name)
	}
	// A partner's name is theirs to share.
	if u, err := f.s.RenameUser(ctx, f.sam.ID, "Rae Q"); err != nil || u.Name != "Rae Q" {
		t.Errorf("a partner named like a resident: %+v, %v", u, err)
	}
	if v, _ := f.s.Version(ctx, f.version.ID); v.AuthorName != "Sam" {
		t.Errorf("the wording's author became %q", v.AuthorName)
	}
}

func TestChangePassword(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	token := f.session(t, f.sam)

	wantField(t, "a wrong current password", f.s.ChangePassword(ctx, f.sam.ID, "not it at all", "a brand new password"), "current")
	wantField(t, "a short new password", f.s.ChangePassword(ctx, f.sam.ID, accountsPassword, "short"), "password")
	if _, err := f.s.SessionUser(ctx, token); err != nil {
		t.Errorf("a refused change ended the session: %v", err)
	}
	if err := f.s.ChangePassword(ctx, f.sam.ID, accountsPassword, "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Authenticate(ctx, "sam@example.org", "a brand new password"); err != nil {
		t.Errorf("sign-in with the new password: %v", err)
	}
	if _, err := f.s.Authenticate(ctx, "sam@example.org", accountsPassword); !errors.Is(err, model.ErrBadCredentials) {
		t.Errorf("sign-in with the old password: %v", err)
	}
	if _, err := f.s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the session from before the change still works: %v", err)
	}
}

func TestResetPassword(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	start := time.Now()
	f.s.now = func() time.Time { return start }
	token := f.session(t, f.rae)

	rc, err := f.s.CreateResetCode(ctx, f.rae.ID, f.fran.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Code) != 9 || rc.Code[4] != '-' || !rc.Expires.Equal(storedTime(start).Add(model.ResetCodeTTL)) || rc.User.ID != f.rae.ID {
		t.Errorf("reset code = %+v", rc)
	}
	var stored int
	f.s.r.QueryRow(`SELECT count(*) FROM reset_codes WHERE code_hash = ? OR code_hash = ?`, rc.Code, model.NormaliseCode(rc.Code)).Scan(&stored)
	if stored != 0 {
		t.Error("the reset code is stored as it is, not hashed")
	}
	// A second code replaces the first.
	first := rc.Code
	if rc, err = f.s.CreateResetCode(ctx, f.rae.ID, f.fran.ID); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, login, code, password, field string
	}{
		{"a replaced code", "Rae Quartermaine", first, "a new password for rae", "code"},
		{"the wrong person", "sam@example.org", rc.Code, "a new password for rae", "code"},
		{"no such code", "Rae Quartermaine", "ABCD-EFGH", "a new password for rae", "code"},
		{"a short password", "Rae Quartermaine", rc.Code, "short", "password"},
	}
	for _, tt := range tests {
		_, _, err := f.s.ResetPassword(ctx, tt.login, tt.code, tt.password)
		wantField(t, tt.name, err, tt.field)
	}
	if _, err := f.s.SessionUser(ctx, token); err != nil {
		t.Errorf("a refused reset ended the session: %v", err)
	}

	// Typed in small letters without the hyphen, with her name in capitals.
	u, wasFirst, err := f.s.ResetPassword(ctx, "RAE QUARTERMAINE", strings.ToLower(strings.ReplaceAll(rc.Code, "-", "")), "a new password for rae")
	if err != nil || u.ID != f.rae.ID {
		t.Fatalf("ResetPassword = %+v, %v", u, err)
	}
	if wasFirst {
		t.Error("Rae had a password, but the reset says she chose her first")
	}
	if _, err := f.s.Authenticate(ctx, "Rae Quartermaine", "a new password for rae"); err != nil {
		t.Errorf("sign-in with the new password: %v", err)
	}
	if _, err := f.s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the session from before the reset still works: %v", err)
	}
	_, _, err = f.s.ResetPassword(ctx, "Rae Quartermaine", rc.Code, "yet another password")
	wantField(t, "a used code", err, "code")

	// A code expires.
	if rc, err = f.s.CreateResetCode(ctx, f.sam.ID, 0); err != nil {
		t.Fatal(err)
	}
	f.s.now = func() time.Time { return start.Add(model.ResetCodeTTL + time.Minute) }
	_, _, err = f.s.ResetPassword(ctx, "sam@example.org", rc.Code, "a new password for sam")
	wantField(t, "an expired code", err, "code")

	// A switched-off account gets no code, and its code stops working.
	f.s.now = func() time.Time { return start }
	if rc, err = f.s.CreateResetCode(ctx, f.sam.ID, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.DisableUser(ctx, f.sam.ID, f.fran.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = f.s.ResetPassword(ctx, "sam@example.org", rc.Code, "a new password for sam")
	wantField(t, "the code of a switched-off account", err, "code")
	_, err = f.s.CreateResetCode(ctx, f.sam.ID, 0)
	wantField(t, "a code for a switched-off account", err, "")
}

// TestEraseResident erases a resident who commented and voted: the name is
// nowhere in the database, the account cannot be used, the ballots still
// count and the recount equals the stored result.
func TestEraseResident(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	const name = "Zebedee Quillfeather"
	zeb := f.resident(t, name, f.peckham)
	sol, tam := f.resident(t, "Sol", f.peckham), f.resident(t, "Tam", f.peckham)
	comment, err := f.s.CreateComment(ctx, model.NewComment{VersionID: f.a.ID, Kind: model.Question,
		Markdown: "What does a navigator do?", Author: &zeb}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.ReportComment(ctx, comment.ID, &sol, "off topic"); err != nil {
		t.Fatal(err)
	}
	closed := f.open(t, tally.Approval, 1, 50)
	for _, v := range []model.User{zeb, sol, tam} {
		if _, err := f.s.CastBallot(ctx, closed.ID, v, tally.Ballot{Approve: []int64{f.b.ID}}); err != nil {
			t.Fatal(err)
		}
	}
	if closed, err = f.s.CloseRound(ctx, closed.ID); err != nil {
		t.Fatal(err)
	}
	token, err := f.s.CreateSession(ctx, zeb.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	f.s.SessionUser(ctx, token)
	if _, err := f.s.CreateResetCode(ctx, zeb.ID, f.facilitator.ID); err != nil {
		t.Fatal(err)
	}

	erased, err := f.s.EraseResident(ctx, zeb.ID)
	if err != nil || !erased.Erased() {
		t.Fatalf("EraseResident = %+v, %v", erased, err)
	}

	// The account is gone.
	if _, err := f.s.SessionUser(ctx, token); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the erased resident's session still works: %v", err)
	}
	for _, login := range []string{name, model.FormerResident} {
		if _, err := f.s.Authenticate(ctx, login, "resident password"); !errors.Is(err, model.ErrBadCredentials) {
			t.Errorf("sign-in as %q after erasure: %v", login, err)
		}
	}
	if _, err := f.s.Person(ctx, zeb.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("the erased account is still a person: %v", err)
	}
	if _, err := f.s.EraseResident(ctx, zeb.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("erasing twice: %v", err)
	}
	ns, err := f.s.Neighbourhoods(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.ID == f.peckham.ID && n.Residents != 2 {
			t.Errorf("Peckham counts %d residents after one of its three was erased, want 2", n.Residents)
		}
	}
	if _, err := f.s.PersonData(ctx, zeb.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("export of an erased account: %v", err)
	}
	users, _ := f.s.Users(ctx)
	for _, u := range users {
		if u.ID == zeb.ID {
			t.Error("the erased resident is listed among the users")
		}
	}

	// The comment stays, by a former resident of Peckham.
	c, err := f.s.Comment(ctx, comment.ID)
	if err != nil || c.AuthorName != model.FormerResident || c.Markdown != comment.Markdown || c.NeighbourhoodName != "Peckham" {
		t.Errorf("the comment after erasure = %+v, %v", c, err)
	}

	// The ballots still count, in the closed round and an open one.
	stored, recount, err := f.s.Recount(ctx, closed.ID)
	if err != nil || !stored.Equal(recount) || recount.Ballots != 3 {
		t.Errorf("recount after erasure: %v, %d ballots, equal %v", err, recount.Ballots, stored.Equal(recount))
	}
	if published, _ := f.s.PublishedBallots(ctx, closed.ID); len(published) != 3 {
		t.Errorf("%d ballots published after erasure, want 3", len(published))
	}

	// The name is in no row of any table.
	tables, err := f.s.r.Query(f.s.dialect.pick(
		`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'term_search%'`,
		`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	for _, table := range names {
		if n := countRowsWith(t, f.s, table, "quillfeather"); n != 0 {
			t.Errorf("table %s still holds the name in %d rows", table, n)
		}
	}
	// And the bytes of a SQLite database file and its log do not hold it
	// either. (PostgreSQL's files are its own; VACUUM marks the old rows'
	// space for reuse.)
	var files []string
	if f.s.dialect == sqlite {
		files = []string{f.s.dsn, f.s.dsn + "-wal"}
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("Quillfeather")) {
			t.Errorf("%s still holds the erased name in its bytes", filepath.Base(p))
		}
	}

	// The name is free for someone new; partners are not erased.
	if _, err := f.s.CreateUser(ctx, model.NewUser{Name: name, Role: model.Resident, NeighbourhoodID: f.walworth.ID, Password: "resident password"}); err != nil {
		t.Errorf("a new resident with the erased name: %v", err)
	}
	if _, err := f.s.EraseResident(ctx, sol.ID); err != nil {
		t.Errorf("a second erasure (the name is shared by erased residents): %v", err)
	}
	_, err = f.s.EraseResident(ctx, f.facilitator.ID)
	wantField(t, "erasing a facilitator", err, "")
}

// countRowsWith counts the rows of table with a text or blob column that
// holds needle, in any letter case.
func countRowsWith(t *testing.T, s *Store, table, needle string) int {
	t.Helper()
	rows, err := s.r.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			var s string
			switch v := v.(type) {
			case string:
				s = v
			case []byte:
				s = string(v)
			}
			if strings.Contains(strings.ToLower(s), needle) {
				n++
				break
			}
		}
	}
	return n
}

func TestInviteBatches(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	start := time.Now()
	f.s.now = func() time.Time { return start }
	until := start.Add(30 * 24 * time.Hour)
	first, err := f.s.CreateInvites(ctx, f.peckham.ID, 3, until)
	if err != nil {
		t.Fatal(err)
	}
	f.s.now = func() time.Time { return start.Add(time.Minute) }
	second, err := f.s.CreateInvites(ctx, f.peckham.ID, 2, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateInvites(ctx, f.walworth.ID, 4, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Join(ctx, first[0], "Rae", "resident password"); err != nil {
		t.Fatal(err)
	}

	batches, err := f.s.InviteBatches(ctx, f.peckham.ID)
	if err != nil || len(batches) != 2 {
		t.Fatalf("batches = %+v, %v", batches, err)
	}
	newer, older := batches[0], batches[1]
	if newer.Printed != 2 || newer.Unused != 2 || !newer.Expires.IsZero() ||
		older.Printed != 3 || older.Unused != 2 || !older.Expires.Equal(storedTime(until)) {
		t.Errorf("batches = %+v", batches)
	}

	// Cancelling a run: its codes stop working, and say so as expired.
	if n, err := f.s.CancelInvites(ctx, f.peckham.ID, newer.ID); err != nil || n != 2 {
		t.Fatalf("CancelInvites = %d, %v", n, err)
	}
	if _, err := f.s.Join(ctx, second[0], "Sol", "resident password"); err == nil || !strings.Contains(err.Error(), "expired") {
		t.Errorf("join with a cancelled code: %v", err)
	}
	if _, err := f.s.CancelInvites(ctx, f.peckham.ID, newer.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("cancelling a run twice: %v", err)
	}
	// Another neighbourhood's run is not this one's to cancel.
	wal, _ := f.s.InviteBatches(ctx, f.walworth.ID)
	if _, err := f.s.CancelInvites(ctx, f.peckham.ID, wal[0].ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("cancelling another neighbourhood's run: %v", err)
	}
	if wal, _ = f.s.InviteBatches(ctx, f.walworth.ID); len(wal) != 1 || wal[0].Unused != 4 {
		t.Errorf("Walworth's codes after the refusal: %+v", wal)
	}

	// Reprinting: the two unused codes of the first run are replaced by
	// two new ones with the same expiry.
	f.s.now = func() time.Time { return start.Add(2 * time.Minute) }
	codes, exp, err := f.s.ReprintInvites(ctx, f.peckham.ID, older.ID)
	if err != nil || len(codes) != 2 || !exp.Equal(storedTime(until)) {
		t.Fatalf("ReprintInvites = %v, %v, %v", codes, exp, err)
	}
	if _, err := f.s.Join(ctx, first[1], "Sol", "resident password"); err == nil {
		t.Error("a code replaced by a reprint still works")
	}
	if batches, _ = f.s.InviteBatches(ctx, f.peckham.ID); len(batches) != 1 || batches[0].Unused != 2 || batches[0].Printed != 2 {
		t.Errorf("after the reprint: %+v", batches)
	}
	if u, err := f.s.Join(ctx, codes[0], "Sol", "resident password"); err != nil || u.NeighbourhoodID != f.peckham.ID {
		t.Errorf("join with a reprinted code: %+v, %v", u, err)
	}

	// One code, typed from its slip.
	wantField(t, "cancelling a used code", f.s.CancelInvite(ctx, f.peckham.ID, codes[0]), "code")
	wantField(t, "cancelling no such code", f.s.CancelInvite(ctx, f.peckham.ID, "ABCD-EFGH"), "code")
	wantField(t, "cancelling another neighbourhood's code", f.s.CancelInvite(ctx, f.walworth.ID, codes[1]), "code")
	if err := f.s.CancelInvite(ctx, f.peckham.ID, strings.ToLower(codes[1])); err != nil {
		t.Fatalf("CancelInvite: %v", err)
	}
	if _, err := f.s.Join(ctx, codes[1], "Tam", "resident password"); err == nil {
		t.Error("a cancelled code still works")
	}
	if batches, _ = f.s.InviteBatches(ctx, f.peckham.ID); len(batches) != 0 {
		t.Errorf("no unused codes are left, but the list has %+v", batches)
	}
}

func TestRenameOrganisationAndNeighbourhood(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	sam, _ := f.s.Authenticate(ctx, "sam@example.org", "correct horse battery")
	org := sam.OrganisationID

	o, err := f.s.RenameOrganisation(ctx, org, " Southwark Council ")
	if err != nil || o.Name != "Southwark Council" || o.Sector != model.Statutory {
		t.Fatalf("RenameOrganisation = %+v, %v", o, err)
	}
	if u, _ := f.s.User(ctx, sam.ID); u.OrganisationName != "Southwark Council" {
		t.Errorf("Sam's organisation reads %q", u.OrganisationName)
	}
	if v, _ := f.s.Version(ctx, f.a.ID); v.OrganisationName != "Sam org" {
		t.Errorf("the wording's organisation became %q; it keeps the name it was written under", v.OrganisationName)
	}
	_, err = f.s.RenameOrganisation(ctx, org, "val ORG")
	wantField(t, "an organisation's taken name", err, "name")
	_, err = f.s.RenameOrganisation(ctx, org, "")
	wantField(t, "an empty organisation name", err, "name")
	if _, err := f.s.RenameOrganisation(ctx, 9999, "Nobody"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("renaming no organisation: %v", err)
	}

	// A closed round counted Peckham under its slug: renaming the
	// neighbourhood keeps the slug, and the recount equal.
	r := f.open(t, tally.Approval, 1, 50)
	for _, name := range []string{"Rae", "Sol", "Tam", "Uma", "Vic"} {
		v := f.resident(t, name, f.peckham)
		f.s.CastBallot(ctx, r.ID, v, tally.Ballot{Approve: []int64{f.a.ID}})
	}
	if _, err := f.s.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	n, err := f.s.RenameNeighbourhood(ctx, f.peckham.ID, "Peckham  Rye")
	if err != nil || n.Name != "Peckham Rye" || n.Slug != "peckham" {
		t.Fatalf("RenameNeighbourhood = %+v, %v", n, err)
	}
	if got, err := f.s.NeighbourhoodBySlug(ctx, "peckham"); err != nil || got.Name != "Peckham Rye" {
		t.Errorf("by its slug: %+v, %v", got, err)
	}
	stored, recount, err := f.s.Recount(ctx, r.ID)
	if err != nil || !stored.Equal(recount) {
		t.Errorf("the recount after renaming the neighbourhood differs: %v", err)
	}
	_, err = f.s.RenameNeighbourhood(ctx, f.peckham.ID, "walworth")
	wantField(t, "a neighbourhood's taken name", err, "name")
	if _, err := f.s.RenameNeighbourhood(ctx, 9999, "Nowhere"); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("renaming no neighbourhood: %v", err)
	}
}

func TestPersonData(t *testing.T) {
	t.Parallel()
	f := newAccounts(t)
	ctx := context.Background()
	f.session(t, f.rae)
	if err := f.s.ReportComment(ctx, f.comment.ID, &f.rae, "my own, by mistake"); err != nil {
		t.Fatal(err)
	}
	tm, _ := f.s.Term(ctx, "care-navigator")
	other, err := f.s.CreateVersion(ctx, tm.ID, model.NewVersion{Markdown: "Someone who helps.", Author: &f.sam})
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.s.OpenRound(ctx, model.NewRound{TermID: tm.ID, Candidates: []int64{f.version.ID, other.ID},
		Method: tally.Approval, ClosesAt: time.Now().Add(time.Hour), OpenedBy: f.fran})
	if err != nil {
		t.Fatal(err)
	}
	receipt, err := f.s.CastBallot(ctx, r.ID, f.rae, tally.Ballot{Approve: []int64{f.version.ID}})
	if err != nil {
		t.Fatal(err)
	}

	d, err := f.s.PersonData(ctx, f.rae.ID)
	if err != nil {
		t.Fatal(err)
	}
	a := d.Account
	if a.ID != f.rae.ID || a.Name != "Rae Quartermaine" || a.Role != model.Resident || a.NeighbourhoodSlug != "peckham" {
		t.Errorf("account = %+v", a)
	}
	if d.Sessions != 1 {
		t.Errorf("sessions = %d, want 1", d.Sessions)
	}
	if len(d.Comments) != 1 || d.Comments[0].Markdown != "My neighbours understood it." || d.Comments[0].ReportsAgainstIt != 1 {
		t.Errorf("comments = %+v", d.Comments)
	}
	if len(d.Reports) != 1 || d.Reports[0].Reason != "my own, by mistake" {
		t.Errorf("reports = %+v", d.Reports)
	}
	if len(d.Ballots) != 1 || d.Ballots[0].Receipt != receipt || d.Ballots[0].RoundID != r.ID || d.Ballots[0].Term != "care-navigator" {
		t.Fatalf("ballots = %+v", d.Ballots)
	}
	var marks []int64
	if err := json.Unmarshal(d.Ballots[0].Marks, &marks); err != nil || len(marks) != 1 || marks[0] != f.version.ID {
		t.Errorf("marks = %s (%v)", d.Ballots[0].Marks, err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "password") && strings.Contains(string(b), "$2a$") {
		t.Error("the export holds the password hash")
	}

	// A facilitator's export lists the votes they opened.
	d, err = f.s.PersonData(ctx, f.fran.ID)
	if err != nil || len(d.RoundsOpened) != 1 || d.RoundsOpened[0] != r.ID {
		t.Errorf("Fran's export: %+v, %v", d.RoundsOpened, err)
	}
	if d, err = f.s.PersonData(ctx, f.sam.ID); err != nil || len(d.Versions) != 2 || d.Versions[0].ID != f.version.ID {
		t.Errorf("Sam's export: %+v, %v", d.Versions, err)
	}
	if _, err := f.s.PersonData(ctx, 9999); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("export of no one: %v", err)
	}
}
