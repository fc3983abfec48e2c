package slug

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzMake checks what every slug must be, whatever the title: only
// lower-case letters, digits and single hyphens between them, valid UTF-8,
// at most MaxLen bytes, and a fixed point: the slug of a slug is itself, so
// a slug typed as a title finds the same term.
func FuzzMake(f *testing.F) {
	for _, s := range []string{
		"Neighbourhood working", "  Neighbourhood   working  ", "Voluntary and community sector (VCS)",
		"Children's centre", "Children’s centre", "Café society", "Straße", "STRASSE", "ẞ", "Søren's plan",
		"Health & wellbeing", "Добро пожаловать", "NHS 111", "---", "", "-a-", "a--b", "İstanbul", "ǅemal",
		"Ωmega ﬁne ﬀ", "ℌilbert ℍ Ⅻ ①", "ﾊﾝｶｸ カタカナ", "x\u0301y", "\xff\xfe broken \xc3\x28", "ǈ ǋ ǲ",
		strings.Repeat("ж", 100), strings.Repeat("ab ", 60), strings.Repeat("a", 79) + "ж",
		"a&b", "ÆØÅ æøå Þór", "ﬃ ﬄ", "Ⓐ Ⓑ", "𝔄𝔅", "١٢٣ ٤", "ꭰ ᏸ", "Ǆ", "Ǿ", "Ǽ ǣ",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, title string) {
		s := Make(title)
		if len(s) > MaxLen {
			t.Fatalf("Make(%q) = %q: %d bytes, over %d", title, s, len(s), MaxLen)
		}
		if !utf8.ValidString(s) {
			t.Fatalf("Make(%q) = %q: not UTF-8", title, s)
		}
		if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") || strings.Contains(s, "--") {
			t.Fatalf("Make(%q) = %q: a hyphen at an end or doubled", title, s)
		}
		for _, r := range s {
			if r != '-' && !unicode.IsDigit(r) && !(unicode.IsLetter(r) && unicode.ToLower(r) == r) {
				t.Fatalf("Make(%q) = %q: holds %q, not a lower-case letter, digit or hyphen", title, s, r)
			}
		}
		if again := Make(s); again != s {
			t.Fatalf("Make(%q) = %q, but Make(%q) = %q", title, s, s, again)
		}
	})
}
