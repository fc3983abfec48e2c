package opendata

import (
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
