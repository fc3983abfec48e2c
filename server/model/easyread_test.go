package model

import (
	"errors"
	"strings"
	"testing"
)

func TestNewEasyReadValidate(t *testing.T) {
	partner := &User{ID: 1, Name: "Sam", Role: Partner}
	resident := &User{ID: 2, Name: "Rae", Role: Resident}
	good := "A link worker is a person.\nThey help you find groups near you.\n\nYou can ask your doctor"
	long := strings.Repeat("word ", MaxEasyReadLineWords) + "more"
	tests := []struct {
		name  string
		ne    NewEasyRead
		field string // "" when it is valid
		id    string
	}{
		{"lines, blank ones between", NewEasyRead{Markdown: good}, "", ""},
		{"a line without a full stop", NewEasyRead{Markdown: "You see a doctor"}, "", ""},
		{"an abbreviation is one sentence", NewEasyRead{Markdown: "Dr. Okafor helps you."}, "", ""},
		{"with a picture and its description", NewEasyRead{Markdown: good, Image: "doctor.svg", ImageAlt: "A doctor with a stethoscope"}, "", ""},
		{"by a partner", NewEasyRead{Markdown: good, Author: partner}, "", ""},
		{"exactly the most words", NewEasyRead{Markdown: strings.Repeat("word ", MaxEasyReadLineWords)}, "", ""},

		{"empty", NewEasyRead{Markdown: " \n\n "}, "markdown", "invalid.easyread.empty"},
		{"two sentences on a line", NewEasyRead{Markdown: "First line.\nYou see a doctor. The doctor helps you."}, "markdown", "invalid.easyread.sentences"},
		{"a long line", NewEasyRead{Markdown: "Short.\n" + long}, "markdown", "invalid.easyread.line_long"},
		{"too many lines", NewEasyRead{Markdown: strings.Repeat("A line.\n", MaxEasyReadLines+1)}, "markdown", "invalid.easyread.long"},
		{"unreadable", NewEasyRead{Markdown: "bad \xff byte"}, "markdown", "invalid.easyread.unreadable"},
		{"another language", NewEasyRead{Lang: "es", Markdown: good}, "language", "invalid.easyread.language"},
		{"explains nothing", NewEasyRead{Markdown: good, ExplainsID: -1}, "explains", "invalid.easyread.explains"},
		{"by a resident", NewEasyRead{Markdown: good, Author: resident}, "", "invalid.easyread.writers_only"},
		{"a picture not shipped", NewEasyRead{Markdown: good, Image: "../style.css", ImageAlt: "x"}, "image", "invalid.easyread.image"},
		{"a picture without a description", NewEasyRead{Markdown: good, Image: "home.svg", ImageAlt: "  "}, "image_alt", "invalid.easyread.alt_missing"},
		{"a description without a picture", NewEasyRead{Markdown: good, ImageAlt: "A house"}, "image_alt", "invalid.easyread.alt_without_image"},
		{"a description of two lines", NewEasyRead{Markdown: good, Image: "home.svg", ImageAlt: "A house\nwith a door"}, "image_alt", "invalid.easyread.alt_lines"},
		{"a long description", NewEasyRead{Markdown: good, Image: "home.svg", ImageAlt: strings.Repeat("a", MaxAltLen+1)}, "image_alt", "invalid.easyread.alt_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ne := tt.ne
			if ne.Lang == "" {
				ne.Lang = SourceLang
			}
			if ne.ExplainsID == 0 {
				ne.ExplainsID = 7
			}
			err := ne.Validate()
			if tt.id == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v, want a ValidationError %s", err, tt.id)
			}
			if ve.ID != tt.id || ve.Field != tt.field {
				t.Errorf("Validate() = %s on %q (%q), want %s on %q", ve.ID, ve.Field, ve.Message, tt.id, tt.field)
			}
			if strings.HasPrefix(ve.Message, "[") {
				t.Errorf("the message %s is missing from the catalogue", ve.ID)
			}
		})
	}
}

// The line that breaks a rule is named, so the writer can find it.
func TestEasyReadErrorNamesTheLine(t *testing.T) {
	err := NewEasyRead{Lang: SourceLang, ExplainsID: 1, Markdown: "One.\nTwo.\nThree. Four."}.Validate()
	if err == nil || !strings.Contains(err.Error(), "Line 3 ") {
		t.Errorf("Validate() = %v, want it to name line 3", err)
	}
}

func TestEasyReadLines(t *testing.T) {
	got := EasyReadLines("  One.\r\n\r\nTwo.\rThree.  \n\n")
	if strings.Join(got, "|") != "One.|Two.|Three." {
		t.Errorf("EasyReadLines = %q", got)
	}
}

func TestEasyReadOutOfDate(t *testing.T) {
	e := EasyRead{ExplainsID: 4}
	if e.OutOfDate(Term{AgreedVersionID: 4}) || !e.OutOfDate(Term{AgreedVersionID: 9}) {
		t.Error("an Easy Read version is out of date exactly when the agreed wording it explains is no longer agreed")
	}
}
