package i18n

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// ids reads every catalogue and returns, for each language code, the ids
// of its messages.
func ids(t *testing.T) map[string]map[string]bool {
	t.Helper()
	names, err := fs.Glob(files, "locales/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for _, name := range names {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		mf, err := goi18n.ParseMessageFileBytes(b, name, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		code := mf.Tag.String()
		if out[code] == nil {
			out[code] = map[string]bool{}
		}
		for _, m := range mf.Messages {
			if out[code][m.ID] {
				t.Errorf("%s: %s is said twice in %s", name, m.ID, code)
			}
			out[code][m.ID] = true
		}
	}
	return out
}

func TestCataloguesLoad(t *testing.T) {
	if err := Check(); err != nil {
		t.Fatal(err)
	}
}

// Every language but a stub says every message English says, and no
// language says a message English does not (a misspelt id).
func TestCataloguesComplete(t *testing.T) {
	all := ids(t)
	en := all[English.Code]
	if len(en) == 0 {
		t.Fatal("no English catalogue")
	}
	for _, l := range Languages {
		have := all[l.Code]
		var missing, extra []string
		for id := range en {
			if !have[id] {
				missing = append(missing, id)
			}
		}
		for id := range have {
			if !en[id] {
				extra = append(extra, id)
			}
		}
		slices.Sort(missing)
		slices.Sort(extra)
		if len(missing) > 0 && !l.Stub {
			t.Errorf("the %s catalogue lacks %d messages: %s", l.Name, len(missing), strings.Join(missing, ", "))
		}
		if len(extra) > 0 {
			t.Errorf("the %s catalogue has messages English does not: %s", l.Name, strings.Join(extra, ", "))
		}
	}
	if !Arabic.Stub || len(all[Arabic.Code]) == 0 {
		t.Error("Arabic should be a started catalogue (a stub)")
	}
}

func TestChoose(t *testing.T) {
	for _, tc := range []struct {
		query, cookie, accept string
		want                  string
	}{
		{"", "", "", "en"},
		{"", "", "es-ES,es;q=0.9,en;q=0.8", "es"},
		{"", "", "pt-BR", "pt"},
		{"", "", "fr-CA, en;q=0.5", "fr"},
		{"", "", "de-DE", "en"},        // not spoken here: English
		{"", "", "de, fr;q=0.8", "fr"}, // the best we speak
		{"", "", "ar-EG", "ar"},
		{"", "es", "fr", "es"},   // the cookie beats the browser
		{"pt", "es", "fr", "pt"}, // the address beats both
		{"xx", "", "", "en"},
		{"", "", "not a header;;;", "en"},
	} {
		if got := Choose(tc.query, tc.cookie, tc.accept).Code; got != tc.want {
			t.Errorf("Choose(%q, %q, %q) = %s, want %s", tc.query, tc.cookie, tc.accept, got, tc.want)
		}
	}
}

func TestT(t *testing.T) {
	en, es := For(English), For(Spanish)
	if got := en.T("nav.sign_in"); got != "Sign in" {
		t.Errorf("English sign in = %q", got)
	}
	if got := es.T("nav.sign_in"); got != "Iniciar sesión" {
		t.Errorf("Spanish sign in = %q", got)
	}
	if got := For(Arabic).T("date.am"); got != "am" {
		t.Errorf("a message the Arabic stub lacks = %q, want English", got)
	}
	if got := es.T("no.such.message"); got != "[no.such.message]" {
		t.Errorf("a message no catalogue has = %q", got)
	}
	if !en.Has("nav.sign_in") || !es.Has("nav.sign_in") || en.Has("no.such.message") || For(Arabic).Has("date.am") {
		t.Error("Has should report the messages of each language's own catalogue, and only those")
	}
	if got, want := en.Number(1234567), "1,234,567"; got != want {
		t.Errorf("English number = %q, want %q", got, want)
	}
	if got, want := es.Number(1234567), "1.234.567"; got != want {
		t.Errorf("Spanish number = %q, want %q", got, want)
	}
}

func TestDates(t *testing.T) {
	when := time.Date(2027, time.March, 6, 15, 4, 0, 0, time.UTC) // a Saturday
	for _, tc := range []struct {
		l                   Lang
		date, moment, clock string
	}{
		{English, "6 March 2027", "3:04pm, Saturday 6 March 2027", "3:04pm"},
		{Spanish, "6 de marzo de 2027", "sábado 6 de marzo de 2027, a las 15:04", "15:04"},
		{Portuguese, "6 de março de 2027", "sábado, 6 de março de 2027, às 15:04", "15:04"},
		{French, "6 mars 2027", "samedi 6 mars 2027 à 15 h 04", "15 h 04"},
	} {
		lz := For(tc.l)
		if got := lz.Date(when); got != tc.date {
			t.Errorf("%s date = %q, want %q", tc.l.Name, got, tc.date)
		}
		if got := lz.Moment(when); got != tc.moment {
			t.Errorf("%s moment = %q, want %q", tc.l.Name, got, tc.moment)
		}
		if got := lz.Clock(when); got != tc.clock {
			t.Errorf("%s clock = %q, want %q", tc.l.Name, got, tc.clock)
		}
	}
	if got := For(English).Clock(time.Date(2027, 1, 1, 0, 5, 0, 0, time.UTC)); got != "12:05am" {
		t.Errorf("five past midnight = %q", got)
	}
}
