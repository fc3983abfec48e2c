package termfile

import (
	"strings"
	"testing"
)

func TestParseTranslation(t *testing.T) {
	t.Parallel()
	fp := Fingerprint("Local services join up.")
	data := "---\ntitle: Trabajo en el barrio\nsummary: Servicios que trabajan juntos.\nlang: es\ntranslates: " + fp + "\n---\nLos servicios se unen.\n"
	f, err := Parse("neighbourhood-working.md", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := File{Slug: "neighbourhood-working", Title: "Trabajo en el barrio", Summary: "Servicios que trabajan juntos.",
		Markdown: "Los servicios se unen.", Lang: "es", Translates: fp}
	if f != want {
		t.Errorf("Parse = %#v, want %#v", f, want)
	}
	if got := string(Format(f)); got != data {
		t.Errorf("Format =\n%s\nwant\n%s", got, data)
	}
	// An English file has neither key, and Format writes neither.
	en := File{Slug: "x", Title: "X", Markdown: "Body"}
	if strings.Contains(string(Format(en)), "lang") || strings.Contains(string(Format(en)), "translates") {
		t.Errorf("an English file is written with translation keys:\n%s", Format(en))
	}
}

func TestParseTranslationRefuses(t *testing.T) {
	t.Parallel()
	fp := Fingerprint("x")
	for name, tt := range map[string]struct{ front, want string }{
		"lang alone":        {"lang: es\n", "translates"},
		"translates alone":  {"translates: " + fp + "\n", "needs lang"},
		"English":           {"lang: en\ntranslates: " + fp + "\n", "English"},
		"not a code":        {"lang: Spanish\ntranslates: " + fp + "\n", "not a language code"},
		"a capital code":    {"lang: ES\ntranslates: " + fp + "\n", "not a language code"},
		"not a fingerprint": {"lang: es\ntranslates: neighbourhood-working\n", "not a fingerprint"},
		"a short one":       {"lang: es\ntranslates: sha256:abc\n", "not a fingerprint"},
	} {
		_, err := Parse("x.md", []byte("---\ntitle: X\n"+tt.front+"---\nBody\n"))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want one saying %q", name, err, tt.want)
		}
	}
	if err := WriteDir(t.TempDir(), []File{{Slug: "x", Title: "X", Lang: "es"}}); err == nil {
		t.Error("WriteDir wrote a translation that names no English wording")
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	a := Fingerprint("One line.\nTwo lines.")
	if !fingerprintForm.MatchString(a) {
		t.Errorf("Fingerprint = %q", a)
	}
	if b := Fingerprint("One line.\r\nTwo lines."); b != a {
		t.Errorf("line ends change the fingerprint: %s, %s", a, b)
	}
	if b := Fingerprint("One line.\nTwo  lines."); b == a {
		t.Error("a changed wording has the same fingerprint")
	}
}
