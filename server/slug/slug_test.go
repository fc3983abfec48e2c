package slug

import (
	"strings"
	"testing"
)

func TestMake(t *testing.T) {
	tests := []struct {
		title, want string
	}{
		{"Neighbourhood working", "neighbourhood-working"},
		{"  Neighbourhood   working  ", "neighbourhood-working"},
		{"Voluntary and community sector (VCS)", "voluntary-and-community-sector-vcs"},
		{"Children's centre", "childrens-centre"},
		{"Children’s centre", "childrens-centre"},
		{"Café society", "cafe-society"},
		{"Straße", "strasse"},
		{"Søren's plan", "sorens-plan"},
		{"Health & wellbeing", "health-and-wellbeing"},
		{"Добро пожаловать", "добро-пожаловать"},
		{"NHS 111", "nhs-111"},
		{"---", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Make(tt.title); got != tt.want {
			t.Errorf("Make(%q) = %q, want %q", tt.title, got, tt.want)
		}
	}
}

func TestMakeLong(t *testing.T) {
	got := Make(strings.Repeat("ж", 100))
	if len(got) > MaxLen {
		t.Fatalf("len = %d, want at most %d", len(got), MaxLen)
	}
	if !utf8ValidEnd(got) {
		t.Fatalf("slug %q ends mid-character", got)
	}
}
