package i18n

import "testing"

// Has finds plain messages and plural ones, in the language's own
// catalogue only.
func TestHas(t *testing.T) {
	t.Parallel()
	en, ar := For(English), For(Arabic)
	for _, tt := range []struct {
		lz   *Localizer
		id   string
		want bool
	}{
		{en, "nav.sign_in", true},      // plain
		{en, "no.such.message", false}, // nowhere
		{ar, "date.am", false},         // only in English, which the stub falls back to
	} {
		if got := tt.lz.Has(tt.id); got != tt.want {
			t.Errorf("%s Has(%q) = %v, want %v", tt.lz.Lang.Name, tt.id, got, tt.want)
		}
	}
}
