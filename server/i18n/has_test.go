package i18n

import "testing"

// Has finds plain messages and plural ones, and only in the localizer's own
// catalogue.
func TestHas(t *testing.T) {
	for _, tc := range []struct {
		l    Lang
		id   string
		want bool
	}{
		{English, "nav.sign_in", true}, // no plural forms
		{English, "date.day", true},    // placeholders
		{Spanish, "nav.sign_in", true},
		{English, "no.such.message", false},
		{Arabic, "nav.sign_in", true},
		{Arabic, "date.am", false},     // said in English
		{English, "limit.tries", true}, // plural forms
		{Spanish, "limit.tries", true},
	} {
		if got := For(tc.l).Has(tc.id); got != tc.want {
			t.Errorf("%s Has(%q) = %v, want %v", tc.l.Name, tc.id, got, tc.want)
		}
	}
}
