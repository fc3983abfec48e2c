package model

import (
	"errors"
	"testing"
)

func TestSheetNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		round  int64
		serial int
		want   string
	}{
		{1, 1, "1-0001-0"},
		{12, 7, "12-0007-2"},
		{12, 500, "12-0500-9"},
		{3, 8, "3-0008-X"},
		{4031, 9999, "4031-9999-1"},
	}
	for _, tt := range tests {
		got := FormatSheetNumber(SheetNumber(tt.round, tt.serial))
		if got != tt.want {
			t.Errorf("sheet %d of round %d is numbered %s, want %s", tt.serial, tt.round, got, tt.want)
		}
		back, err := ParseSheetNumber(got)
		if err != nil || back != SheetNumber(tt.round, tt.serial) {
			t.Errorf("ParseSheetNumber(%q) = %q, %v", got, back, err)
		}
	}
}

// TestCheckCharISO7064 checks the check character against published ISO
// 7064 MOD 11-2 numbers: the standard's example, 079X, and two ORCID iDs.
func TestCheckCharISO7064(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"0000000218250097", "000000021694233X", "079X"} {
		if got := checkChar(id[:len(id)-1]); got != id[len(id)-1] {
			t.Errorf("check character of %s = %c, want %c", id[:len(id)-1], got, id[len(id)-1])
		}
	}
}

func TestParseSheetNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typed string
		want  string
		err   string // the message id, or "" for none
	}{
		{"12-0007-2", "1200072", ""},
		{" 12 0007 2 ", "1200072", ""},
		{"1200072", "1200072", ""},
		{"3-0008-x", "30008X", ""},
		{"12-0007-1", "", "invalid.paper.number_check"},
		{"12-0070-2", "", "invalid.paper.number_check"},
		{"12-O007-2", "", "invalid.paper.number_form"},
		{"12-0007", "", "invalid.paper.number_check"},
		{"1-2", "", "invalid.paper.number_form"},
		{"", "", "invalid.paper.number_form"},
		{"X2-0007-2", "", "invalid.paper.number_form"},
		{"12-0007-A", "", "invalid.paper.number_form"},
		{"12345678901234567890123456", "", "invalid.paper.number_form"},
	}
	for _, tt := range tests {
		got, err := ParseSheetNumber(tt.typed)
		var ve *ValidationError
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("ParseSheetNumber(%q) = %q, %v; want %q", tt.typed, got, err, tt.want)
		case tt.err != "" && (!errors.As(err, &ve) || ve.ID != tt.err || ve.Field != "number"):
			t.Errorf("ParseSheetNumber(%q) = %q, %v; want the error %s", tt.typed, got, err, tt.err)
		}
	}
}

// TestSheetNumberCatchesSlips types every ballot number of several rounds
// with each single character changed to every other one that could be
// typed, and with each pair of neighbours swapped: not one is taken.
func TestSheetNumberCatchesSlips(t *testing.T) {
	t.Parallel()
	const typeable = "0123456789XO I-"
	tried := 0
	for _, round := range []int64{1, 9, 12, 99, 305, 4031, 123456} {
		for serial := 1; serial <= MaxSheetsPerRound; serial += 37 {
			good := SheetNumber(round, serial)
			for i := range len(good) {
				for _, c := range []byte(typeable) {
					if c == good[i] || c == ' ' || c == '-' {
						continue // the same, or a separator, which is no slip
					}
					slip := good[:i] + string(c) + good[i+1:]
					tried++
					if _, err := ParseSheetNumber(slip); err == nil {
						t.Fatalf("%s typed as %s was taken", good, slip)
					}
				}
				if i+1 < len(good) && good[i] != good[i+1] {
					swap := good[:i] + string(good[i+1]) + string(good[i]) + good[i+2:]
					tried++
					if _, err := ParseSheetNumber(swap); err == nil {
						t.Fatalf("%s typed as %s was taken", good, swap)
					}
				}
			}
		}
	}
	if tried < 10000 {
		t.Errorf("only %d slips tried", tried)
	}
}

func TestSettle(t *testing.T) {
	t.Parallel()
	const (
		fran = 1
		sam  = 2
		kit  = 3
	)
	marks := func(by int64, m string) PaperEntry { return PaperEntry{EnteredBy: by, Marks: m} }
	again := func(by int64, m string) PaperEntry { return PaperEntry{EnteredBy: by, Marks: m, SamePerson: true} }
	spoiled := func(by int64, why string) PaperEntry { return PaperEntry{EnteredBy: by, Spoiled: why} }
	tests := []struct {
		name    string
		entries []PaperEntry
		want    SheetState
		decider int // index of the deciding entry, or -1
	}{
		{"not returned", nil, SheetPrinted, -1},
		{"one entry", []PaperEntry{marks(fran, "[3]")}, SheetOneEntry, -1},
		{"two people agree", []PaperEntry{marks(fran, "[3,5]"), marks(sam, "[3,5]")}, SheetMatched, 1},
		{"two people disagree", []PaperEntry{marks(fran, "[3,5]"), marks(sam, "[3]")}, SheetMismatch, -1},
		{"same person twice without saying so", []PaperEntry{marks(fran, "[3]"), marks(fran, "[3]")}, SheetOneEntry, -1},
		{"same person twice, saying so", []PaperEntry{marks(fran, "[3]"), again(fran, "[3]")}, SheetMatched, 1},
		{"same person twice, saying so, disagreeing", []PaperEntry{marks(fran, "[3]"), again(fran, "[5]")}, SheetMismatch, -1},
		{"third look agrees with the first", []PaperEntry{marks(fran, "[3]"), marks(sam, "[5]"), marks(kit, "[3]")}, SheetMatched, 2},
		{"third look agrees with the second", []PaperEntry{marks(fran, "[3]"), marks(sam, "[5]"), marks(kit, "[5]")}, SheetMatched, 2},
		{"third look agrees with neither", []PaperEntry{marks(fran, "[3]"), marks(sam, "[5]"), marks(kit, "[]")}, SheetMismatch, -1},
		{"fourth look settles", []PaperEntry{marks(fran, "[3]"), marks(sam, "[5]"), marks(kit, "[]"), marks(fran+10, "[]")}, SheetMatched, 3},
		{"third look by the first, saying so", []PaperEntry{marks(fran, "[3]"), marks(sam, "[5]"), again(fran, "[5]")}, SheetMatched, 2},
		{"both say spoiled", []PaperEntry{spoiled(fran, "two ticks crossed out"), spoiled(sam, "unclear")}, SheetSpoiled, 1},
		{"spoiled and marks", []PaperEntry{spoiled(fran, "unclear"), marks(sam, "[3]")}, SheetMismatch, -1},
		{"third look says spoiled", []PaperEntry{spoiled(fran, "unclear"), marks(sam, "[3]"), spoiled(kit, "torn")}, SheetSpoiled, 2},
		{"a ranked sheet", []PaperEntry{marks(fran, `{"3":1,"5":2}`), marks(sam, `{"3":1,"5":2}`)}, SheetMatched, 1},
		{"later entries are not looked at", []PaperEntry{marks(fran, "[3]"), marks(sam, "[3]"), marks(kit, "[5]")}, SheetMatched, 1},
	}
	for _, tt := range tests {
		got, by := Settle(tt.entries)
		if got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
		switch {
		case tt.decider < 0 && by != nil:
			t.Errorf("%s: decided by %+v, want no entry", tt.name, *by)
		case tt.decider >= 0 && by != &tt.entries[tt.decider]:
			t.Errorf("%s: decided by %v, want entry %d", tt.name, by, tt.decider)
		}
		if got.Decided() != (tt.decider >= 0) {
			t.Errorf("%s: Decided() = %v", tt.name, got.Decided())
		}
	}
}

func TestNewPaperPrintValidate(t *testing.T) {
	t.Parallel()
	fac := User{ID: 1, Role: Facilitator}
	ok := NewPaperPrint{RoundID: 1, NeighbourhoodID: 2, Sheets: 20, Size: A4, PrintedBy: fac}
	tests := []struct {
		change func(*NewPaperPrint)
		field  string
	}{
		{func(np *NewPaperPrint) {}, "-"},
		{func(np *NewPaperPrint) { np.Size = A5; np.Sheets = 500 }, "-"},
		{func(np *NewPaperPrint) { np.PrintedBy.Role = Partner }, ""},
		{func(np *NewPaperPrint) { np.NeighbourhoodID = 0 }, "neighbourhood"},
		{func(np *NewPaperPrint) { np.Sheets = 0 }, "sheets"},
		{func(np *NewPaperPrint) { np.Sheets = 501 }, "sheets"},
		{func(np *NewPaperPrint) { np.Size = "Letter" }, "size"},
	}
	for i, tt := range tests {
		np := ok
		tt.change(&np)
		err := np.Validate()
		var ve *ValidationError
		if tt.field == "-" {
			if err != nil {
				t.Errorf("%d: %v", i, err)
			}
			continue
		}
		if !errors.As(err, &ve) || ve.Field != tt.field {
			t.Errorf("%d: %v, want an error on %q", i, err, tt.field)
		}
	}
}
