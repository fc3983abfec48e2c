package model

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Paper ballots (issue 14): a paper ballot is a ballot like any other, with
// a sheet number instead of a resident, entered twice and counted once.

// PaperSize is the size of paper a print run is laid out for.
type PaperSize string

const (
	A4 PaperSize = "A4"
	A5 PaperSize = "A5"
)

// MaxSheetsPerPrint bounds one print run; MaxSheetsPerRound a round, whose
// sheets are numbered in four digits.
const (
	MaxSheetsPerPrint = 500
	MaxSheetsPerRound = 9999
)

// MaxSpoiledReason bounds the reason given for a spoiled sheet.
const MaxSpoiledReason = 200

// PaperPrint is one print run of ballot sheets for a round and a
// neighbourhood.
type PaperPrint struct {
	ID                int64
	RoundID           int64
	NeighbourhoodID   int64
	NeighbourhoodSlug string
	NeighbourhoodName string
	Size              PaperSize
	Sheets            int
	PrintedByName     string
	PrintedAt         time.Time
	HandIn            string // where to hand the sheets in, printed on them
	// Numbers are the run's ballot numbers as printed (FormatSheetNumber),
	// in order; only PaperPrint loads them.
	Numbers []string
}

// NewPaperPrint is what printing sheets needs.
type NewPaperPrint struct {
	RoundID         int64
	NeighbourhoodID int64
	Sheets          int
	Size            PaperSize
	HandIn          string
	PrintedBy       User
}

// MaxHandIn bounds where to hand sheets in.
const MaxHandIn = 200

// Validate says what is wrong with a print run, or nil.
func (np NewPaperPrint) Validate() error {
	switch {
	case np.PrintedBy.Role != Facilitator:
		return Invalid("", "invalid.paper.facilitators_only")
	case np.NeighbourhoodID == 0:
		return Invalid("neighbourhood", "invalid.paper.neighbourhood")
	case np.Sheets < 1 || np.Sheets > MaxSheetsPerPrint:
		return Invalid("sheets", "invalid.paper.sheets", "Max", MaxSheetsPerPrint)
	case np.Size != A4 && np.Size != A5:
		return Invalid("size", "invalid.paper.size")
	case utf8.RuneCountInString(np.HandIn) > MaxHandIn:
		return Invalid("hand_in", "invalid.paper.hand_in_long", "Max", MaxHandIn)
	}
	return nil
}

// PaperEntry is one keying-in of a returned sheet: its marks as ballots
// store them, or spoiled with a reason.
type PaperEntry struct {
	ID            int64
	SheetID       int64
	Number        string // the sheet's number, as printed
	EnteredBy     int64
	EnteredByName string
	Marks         string // as ballots.marks; "" when spoiled
	Spoiled       string // why the sheet is spoiled; "" when it is not
	SamePerson    bool   // the facilitator said this is their own second entry
	EnteredAt     time.Time
	// State is the sheet's state once this entry was made, and Look
	// which look at the sheet it was (1 for the first entry); the audit
	// log shows them.
	State SheetState
	Look  int
}

// agrees reports whether two entries say the same of a sheet: the same
// marks, or both spoiled (whatever the reasons).
func (e PaperEntry) agrees(o PaperEntry) bool {
	return e.Marks == o.Marks && (e.Spoiled == "") == (o.Spoiled == "")
}

// NewPaperEntry is what keying in a sheet needs besides its marks.
type NewPaperEntry struct {
	RoundID    int64
	Number     string // as typed
	Spoil      bool   // the sheet is spoiled; its marks are left out
	Spoiled    string // why, for a spoiled sheet
	SamePerson bool
	EnteredBy  User
}

// Validate says what is wrong with an entry, or nil; the number and the
// marks are checked by the store, against the round.
func (ne NewPaperEntry) Validate() error {
	switch {
	case ne.EnteredBy.Role != Facilitator:
		return Invalid("", "invalid.paper.facilitators_only")
	case ne.Spoil && ne.Spoiled == "":
		return Invalid("reason", "invalid.paper.reason_empty")
	case !ne.Spoil && ne.Spoiled != "":
		return Invalid("reason", "invalid.paper.reason_unspoiled")
	case utf8.RuneCountInString(ne.Spoiled) > MaxSpoiledReason:
		return Invalid("reason", "invalid.paper.reason_long", "Max", MaxSpoiledReason)
	}
	return nil
}

// SheetState is where a sheet stands, worked out from its entries.
type SheetState string

const (
	SheetPrinted  SheetState = "printed"   // no entry: not returned, or not keyed in yet
	SheetOneEntry SheetState = "one_entry" // waiting for a second entry
	SheetMatched  SheetState = "matched"   // two entries agree: it counts
	SheetMismatch SheetState = "mismatch"  // entries disagree: it needs another look
	SheetSpoiled  SheetState = "spoiled"   // two entries agree it is spoiled: it never counts
)

// Decided reports whether the sheet takes no more entries.
func (s SheetState) Decided() bool { return s == SheetMatched || s == SheetSpoiled }

// Settle works out a sheet's state from its entries, in the order they
// were made, and returns the entry that decided it, if one did.
//
// The rule: the first entry that agrees with an earlier one decides the
// sheet (matched, or spoiled if both say spoiled), provided the two were
// made by different people, or the later one's maker said it was their own
// second entry. So two entries that disagree leave a mismatch, and a third
// look that agrees with either settles it; one that agrees with neither
// leaves the mismatch for a fourth. Entries after the deciding one are not
// looked at (the store takes none).
func Settle(entries []PaperEntry) (SheetState, *PaperEntry) {
	for j := 1; j < len(entries); j++ {
		for i := 0; i < j; i++ {
			a, b := entries[i], entries[j]
			if !b.agrees(a) || (a.EnteredBy == b.EnteredBy && !b.SamePerson) {
				continue
			}
			if b.Spoiled != "" {
				return SheetSpoiled, &entries[j]
			}
			return SheetMatched, &entries[j]
		}
	}
	switch {
	case len(entries) == 0:
		return SheetPrinted, nil
	case len(entries) == 1:
		return SheetOneEntry, nil
	}
	for _, e := range entries[1:] {
		if !e.agrees(entries[0]) {
			return SheetMismatch, nil
		}
	}
	// Entries that agree but by one person who did not say so: it still
	// waits for someone else's.
	return SheetOneEntry, nil
}

// PaperSheet is a printed sheet with its entries, for the list of sheets
// that need another look.
type PaperSheet struct {
	Number            string // as printed
	NeighbourhoodName string
	State             SheetState
	Entries           []PaperEntry
}

// PaperEvent is a line of a round's paper audit log: a print run or an
// entry.
type PaperEvent struct {
	Print *PaperPrint
	Entry *PaperEntry
}

// PaperCount sums up a round's sheets.
type PaperCount struct {
	Printed    int // sheets printed
	Counted    int // matched: they count
	Spoiled    int // agreed spoiled: they never count
	Unmatched  int // one entry, or entries that disagree: not counted
	Unreturned int // no entry: not counted
}

// PaperResult says what keying in a sheet did.
type PaperResult struct {
	Number string // as printed
	State  SheetState
	Look   int // 1 for the first entry, 2 for the second...
}

// Ballot numbers. A sheet's number is the round's id, the sheet's serial
// in four digits and a check character: 12-0007-4. The check character is
// ISO 7064 MOD 11-2's (as ORCID iDs and ISNIs use): a digit or X, computed
// over the other digits. Its modulus, 11, is prime and its weights are
// powers of 2, so it catches every change of one character and every swap
// of two neighbours, which are most typing slips; TestSheetNumberCatchesSlips
// tries them all. The alphabet is digits and X: no letter O or I to take
// for 0 or 1.

// SheetNumber is the number of a round's sheet as stored and looked up:
// digits and the check character, no hyphens.
func SheetNumber(roundID int64, serial int) string {
	digits := strconv.FormatInt(roundID, 10) + fmt.Sprintf("%04d", serial)
	return digits + string(checkChar(digits))
}

// FormatSheetNumber writes a stored number as printed: 12-0007-4.
func FormatSheetNumber(number string) string {
	n := len(number)
	if n < 6 {
		return number
	}
	return number[:n-5] + "-" + number[n-5:n-1] + "-" + number[n-1:]
}

// ParseSheetNumber reads a ballot number as typed (hyphens and spaces
// anywhere, x for X) and returns it as stored, or a ValidationError that
// says whether it is not a ballot number at all or its check character is
// wrong.
func ParseSheetNumber(typed string) (string, error) {
	var b strings.Builder
	for _, r := range typed {
		switch {
		case r == '-' || r == ' ' || r == '\t':
		case r == 'x':
			b.WriteRune('X')
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	if len(s) < 6 || len(s) > 24 {
		return "", Invalid("number", "invalid.paper.number_form")
	}
	digits, check := s[:len(s)-1], s[len(s)-1]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", Invalid("number", "invalid.paper.number_form")
		}
	}
	if (check < '0' || check > '9') && check != 'X' {
		return "", Invalid("number", "invalid.paper.number_form")
	}
	if checkChar(digits) != check {
		return "", Invalid("number", "invalid.paper.number_check", "Number", typed)
	}
	return s, nil
}

// checkChar is ISO 7064 MOD 11-2's check character of a string of digits.
func checkChar(digits string) byte {
	p := 0
	for i := 0; i < len(digits); i++ {
		p = (p + int(digits[i]-'0')) * 2 % 11
	}
	c := (12 - p) % 11
	if c == 10 {
		return 'X'
	}
	return byte('0' + c)
}
