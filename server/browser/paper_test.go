package browser_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// TestPaperJourney is a vote at a community event in Peckham, where some
// residents vote on their phones and more on paper. The facilitator prints
// 20 numbered ballot sheets (the PDF is read back page by page); the
// residents fill them in; two facilitators key every sheet in, one of them
// without JavaScript, and the second slips on two sheets; the list of
// sheets to look at shows both, and a third look settles one; a spoiled
// sheet and the sheet left unmatched never count. The facilitator closes
// the vote: the results say how many came online and on paper, the paper
// ballots are published marked so, and a recount from the published files
// and from the database agrees with the result.
func TestPaperJourney(t *testing.T) {
	pdfTools(t)
	site := newSite(t)
	ctx := context.Background()
	st := site.Store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	// Two partners' wordings of care-navigator, an approval vote on them
	// for Peckham, and three residents who vote online.
	sam, val := twoPartners(t, site)
	femi, err := st.CreateUser(ctx, model.NewUser{Email: "femi@example.org", Name: "Femi Facilitator", Role: model.Facilitator, Password: testPassword})
	must(err)
	peckham, err := st.CreateNeighbourhood(ctx, "Peckham")
	must(err)
	cn, err := st.Term(ctx, "care-navigator")
	must(err)
	v1, err := st.CreateVersion(ctx, cn.ID, model.NewVersion{Markdown: "A person who helps you find the right care and support.", Author: &sam})
	must(err)
	v2, err := st.CreateVersion(ctx, cn.ID, model.NewVersion{Markdown: "Someone who helps you find your way to the care and support that suits you.", ParentID: v1.ID, Author: &val})
	must(err)
	round, err := st.OpenRound(ctx, model.NewRound{
		TermID: cn.ID, Candidates: []int64{v1.ID, v2.ID}, Method: tally.Approval, Neighbourhoods: []int64{peckham.ID},
		ClosesAt: time.Now().Add(7 * 24 * time.Hour), Quorum: 3, ThresholdPct: 50, OpenedBy: site.Facilitator,
	})
	must(err)
	online := [][]int64{{v2.ID}, {v2.ID}, {v1.ID}}
	for i, ticks := range online {
		u, err := st.CreateUser(ctx, model.NewUser{Name: fmt.Sprintf("Resident %d", i+1), Role: model.Resident, NeighbourhoodID: peckham.ID, Password: testPassword})
		must(err)
		_, err = st.CastBallot(ctx, round.ID, u, tally.Ballot{Approve: ticks})
		must(err)
	}
	roundPath := fmt.Sprintf("/rounds/%d", round.ID)
	paperPath := roundPath + "/paper"

	// What each of the 20 residents marked on paper: one wording, the
	// other, both, or none of them; sheet 18 is spoiled.
	const sheets, spoiled = 20, 17
	marked := func(i int) []int64 {
		return [][]int64{{v1.ID}, {v2.ID}, {v1.ID, v2.ID}, nil, {v2.ID}}[i%5]
	}

	// 1. The facilitator prints 20 A4 sheets for Peckham.
	fran := site.newPerson(t, "facilitator")
	fran.SignIn(site.Facilitator.Email, testPassword)
	fran.Open(roundPath)
	fran.ClickAndWait(`main a[href="` + paperPath + `"]`)
	wantContains(t, "paper page heading", fran.Text("h1"), "Paper ballots for the vote on “Care navigator”")
	fran.SelectOption("#print-neighbourhood", "Peckham")
	fran.Fill("#print-sheets", strconv.Itoa(sheets))
	if !fran.Checked("#print-size") {
		t.Errorf("A4 is not the paper size chosen at first")
	}
	fran.Fill("#print-hand_in", "the box at the front desk of Peckham Library")
	fran.ClickAndWait(`form[action="` + paperPath + `/prints"] button[type=submit]`)
	wantContains(t, "print run heading", fran.Text("h1"), "20 ballot sheets for Peckham (A4)")
	numbers := fran.Texts(".sheet .sheet-number .number")
	if len(numbers) != sheets {
		t.Fatalf("the print run shows %d sheet numbers, want %d", len(numbers), sheets)
	}
	for _, n := range numbers {
		if _, err := model.ParseSheetNumber(n); err != nil {
			t.Errorf("sheet number %q does not pass its own check: %v", n, err)
		}
	}
	if distinct := len(slices.Compact(slices.Sorted(slices.Values(numbers)))); distinct != sheets {
		t.Errorf("%d of the %d sheet numbers are different, want all: %q", distinct, sheets, numbers)
	}
	if n := fran.Count(".sheet .sheet-candidate .age"); n != 2*sheets {
		t.Errorf("%d wordings on the sheets carry a reading age, want 2 a sheet (%d)", n, 2*sheets)
	}

	// Printed, each sheet is a page of A4 with its own number, the
	// question, both wordings in full and where to hand it in; none of the
	// site's menus or the page's help.
	pdf := printToPDF(t, fran, "ballot-sheets")
	if size := pdfPageSize(t, pdf); !strings.Contains(size, "(A4)") {
		t.Errorf("the sheets print on %q, want A4", size)
	}
	pages := pdfPages(t, pdf)
	if len(pages) != sheets {
		t.Fatalf("the sheets print on %d pages, want one a sheet (%d): %s", len(pages), sheets, pdf)
	}
	for i, text := range pages {
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{numbers[i], "Which wordings of this term make sense to you?", "Care navigator",
			"A person who helps you find the right care and support.", "Someone who helps you find your way to the care and support that suits you.",
			"None of these make sense", "For residents of Peckham.", "Hand it in at: the box at the front desk of Peckham Library."} {
			if !strings.Contains(flat, want) {
				t.Errorf("printed page %d does not say %q: %s", i+1, want, flat)
			}
		}
		for j, other := range numbers {
			if j != i && strings.Contains(flat, other) {
				t.Errorf("printed page %d carries sheet %s as well as its own %s", i+1, other, numbers[i])
			}
		}
		for _, not := range []string{"Back to paper ballots", "Sign out", "Print this page"} {
			if strings.Contains(flat, not) {
				t.Errorf("printed page %d shows the screen's %q", i+1, not)
			}
		}
	}

	// 2. Fran keys in every sheet as it was marked.
	fran.ClickAndWait(`a[href="` + paperPath + `"]`)
	enter := func(p *Person, number string, ticks []int64, opts ...string) string {
		t.Helper()
		p.Fill("#entry-number", number)
		for _, id := range []int64{v1.ID, v2.ID} {
			if slices.Contains(ticks, id) {
				p.Check(fmt.Sprintf("#approve-%d", id))
			} else {
				p.Uncheck(fmt.Sprintf("#approve-%d", id))
			}
		}
		if len(ticks) == 0 {
			p.Check("#none")
		} else {
			p.Uncheck("#none")
		}
		p.Uncheck("#entry-spoiled")
		p.Uncheck("#entry-same_person")
		for _, o := range opts {
			switch o {
			case "spoiled":
				p.Check("#entry-spoiled")
				p.Fill("#entry-reason", "Two names written across it")
			case "again":
				p.Check("#entry-same_person")
			}
		}
		p.ClickAndWait(`form[action="` + paperPath + `/entries"] button[type=submit]`)
		return p.Text(".flash")
	}
	for i, n := range numbers {
		var opts []string
		if i == spoiled {
			opts = append(opts, "spoiled")
		}
		wantEqual(t, "after the first entry of "+n, enter(fran, n, marked(i), opts...),
			"First entry saved. A second person must enter sheet "+n+" too.")
	}
	wantContains(t, "sheets before the second entries", fran.Text("#paper-count"),
		"Sheets printed: 20. Counting: 0. Spoiled: 0. Entered but not matched yet: 20. Not entered: 0.")

	// 3. Femi, on a laptop without JavaScript, keys them in again. First
	// he mistypes a number (two digits swapped): the check character
	// catches it and nothing is stored. Then he slips twice, on sheets 5
	// and 12, ticking the wrong wording.
	femiP := site.newPerson(t, "second facilitator", withoutJS())
	femiP.SignIn(femi.Email, testPassword)
	femiP.Open(paperPath)
	slip := []byte(numbers[0])
	k := strings.LastIndexByte(numbers[0], '-') - 2 // the last two digits of the serial
	slip[k], slip[k+1] = slip[k+1], slip[k]
	if string(slip) == numbers[0] {
		slip[k] = '9' - (slip[k] - '0')
	}
	femiP.Fill("#entry-number", string(slip))
	femiP.Check(fmt.Sprintf("#approve-%d", v1.ID))
	femiP.ClickAndWaitStatus(`form[action="`+paperPath+`/entries"] button[type=submit]`, 422)
	wantContains(t, "a mistyped number", femiP.Text("#entry-number-error"), "has a typing mistake: its last character does not fit")
	wantEqual(t, "the mistyped number kept in the form", femiP.Value("#entry-number"), string(slip))
	wantContains(t, "sheets after a refused entry", femiP.Text("#paper-count"), "Counting: 0. Spoiled: 0. Entered but not matched yet: 20.")

	// Sheets 5 and 12 have the second wording ticked.
	slips := map[int][]int64{4: {v1.ID}, 11: {v1.ID}}
	for i, n := range numbers {
		ticks, mistake := slips[i], false
		if _, ok := slips[i]; ok {
			mistake = true
		} else {
			ticks = marked(i)
		}
		var opts []string
		want := "Matches the first entry: sheet " + n + " counts."
		switch {
		case i == spoiled:
			opts = append(opts, "spoiled")
			want = "Matches an earlier entry: sheet " + n + " is spoiled and does not count."
		case mistake:
			want = "Does not match the first entry: sheet " + n + " is listed for a third look."
		}
		wantEqual(t, "after the second entry of "+n, enter(femiP, n, ticks, opts...), want)
	}
	if slices.Equal(marked(4), slips[4]) || slices.Equal(marked(11), slips[11]) {
		t.Fatal("the slips are the sheets' own marks: the test would find no mismatch")
	}
	toLook := femiP.Texts(".sheet-to-look")
	if len(toLook) != 2 || !strings.Contains(toLook[0], numbers[4]) || !strings.Contains(toLook[1], numbers[11]) {
		t.Fatalf("the sheets to look at are %q, want %s and %s", toLook, numbers[4], numbers[11])
	}
	wantContains(t, "a sheet to look at names both entries", toLook[0], "Fran Facilitator: Version "+strconv.FormatInt(v2.ID, 10))
	wantContains(t, "a sheet to look at names both entries", toLook[0], "Femi Facilitator: Version "+strconv.FormatInt(v1.ID, 10))
	wantContains(t, "sheets after the second entries", femiP.Text("#paper-count"),
		"Sheets printed: 20. Counting: 17. Spoiled: 1. Entered but not matched yet: 2. Not entered: 0.")

	// 4. Fran takes sheet 5 out of the box again and enters it a second
	// time herself, saying so: it matches her first entry and counts.
	// Sheet 12 cannot be found before the vote closes.
	fran.Open(paperPath)
	wantEqual(t, "a third look", enter(fran, numbers[4], marked(4), "again"),
		"Matches an earlier entry: sheet "+numbers[4]+" counts.")
	if got := fran.Texts(".sheet-to-look"); len(got) != 1 || !strings.Contains(got[0], numbers[11]) {
		t.Errorf("after the third look the sheets to look at are %q, want %s alone", got, numbers[11])
	}
	// The audit log has the print run and every entry, the latest first.
	if n := fran.Count(".audit .audit-print"); n != 1 {
		t.Errorf("the audit log has %d print runs, want 1", n)
	}
	audit := fran.Texts(".audit .audit-entry")
	if len(audit) != 2*sheets+1 {
		t.Errorf("the audit log has %d entries, want %d", len(audit), 2*sheets+1)
	} else {
		wantContains(t, "the latest line of the audit log", audit[0], "Fran Facilitator entered sheet "+numbers[4]+" (entry 3) as their own second entry")
		wantContains(t, "the latest line of the audit log", audit[0], "Matched: counts.")
	}

	// 5. Fran closes the vote, saying yes when asked.
	fran.Open(roundPath)
	fran.ClickAndWait(`a[href="` + roundPath + `/close"]`)
	fran.ClickAndWait(`form[action="` + roundPath + `/close"] button[type=submit]`)
	wantContains(t, "flash after closing", fran.Text(".flash"), "The vote is closed.")

	// What the count must say: the online ballots and the 18 sheets that
	// matched (not the spoiled one, nor sheet 12).
	want := map[int64]int{}
	counted := 0
	for _, ticks := range online {
		for _, id := range ticks {
			want[id]++
		}
		counted++
	}
	for i := range sheets {
		if i == spoiled || i == 11 {
			continue
		}
		for _, id := range marked(i) {
			want[id]++
		}
		counted++
	}

	visitor := site.newPerson(t, "visitor", phone())
	visitor.Open(roundPath + "/results")
	wantEqual(t, "how the ballots came", visitor.Text("#channels"),
		"3 online, 18 on paper, 1 spoiled. 1 paper sheet was entered but never matched, so it was not counted.")
	wantContains(t, "results turnout", visitor.Text("main"), fmt.Sprintf("%d people voted", counted))
	look(t, visitor, "paper-results-phone")

	var res struct {
		Ballots    int                  `json:"ballots"`
		Winner     *int64               `json:"winner_version_id"`
		Channels   model.ResultChannels `json:"channels"`
		Candidates []struct {
			VersionID int64 `json:"version_id"`
			Count     int   `json:"count"`
		} `json:"candidates"`
		Neighbourhoods []struct {
			Slug    string `json:"neighbourhood"`
			Ballots int    `json:"ballots"`
		} `json:"neighbourhoods"`
	}
	site.GetJSON(t, roundPath+"/results.json", &res)
	if res.Ballots != counted || res.Channels != (model.ResultChannels{Online: 3, Paper: 18, Spoiled: 1, Unmatched: 1}) {
		t.Errorf("results.json counts %d ballots, channels %+v; want %d: 3 online, 18 paper, 1 spoiled, 1 unmatched", res.Ballots, res.Channels, counted)
	}
	for _, c := range res.Candidates {
		if c.Count != want[c.VersionID] {
			t.Errorf("version %d has %d approvals, want %d", c.VersionID, c.Count, want[c.VersionID])
		}
	}
	if len(res.Neighbourhoods) != 1 || res.Neighbourhoods[0].Slug != peckham.Slug || res.Neighbourhoods[0].Ballots != counted {
		t.Errorf("by neighbourhood: %+v, want all %d ballots under Peckham", res.Neighbourhoods, counted)
	}

	// The published ballots: the online ones and the paper ones, marked so.
	var published []struct {
		Receipt string  `json:"receipt"`
		Marks   []int64 `json:"marks"`
		Paper   bool    `json:"paper"`
	}
	site.GetJSON(t, roundPath+"/ballots.json", &published)
	var onPaper int
	var ballots []tally.Ballot
	for _, b := range published {
		if b.Paper {
			onPaper++
		}
		ballots = append(ballots, tally.Ballot{Approve: b.Marks})
	}
	if len(published) != counted || onPaper != 18 {
		t.Errorf("%d ballots are published, %d of them paper; want %d, 18 paper", len(published), onPaper, counted)
	}

	// Anyone can recount from the published files, and the operator from
	// the database (as `wordgarden tally` does): both agree.
	recount, err := tally.Count(tally.Rules{Method: tally.Approval, Candidates: []int64{v1.ID, v2.ID}, Quorum: 3, Threshold: 0.5}, ballots)
	must(err)
	// 12 of the 21 approve the second wording, 8 the first.
	if res.Winner == nil || *res.Winner != v2.ID || recount.Winner != v2.ID || recount.Ballots != res.Ballots {
		t.Errorf("published winner %v of %d ballots; the recount from ballots.json: %d of %d", res.Winner, res.Ballots, recount.Winner, recount.Ballots)
	}
	for _, c := range recount.Candidates {
		if c.Count != want[c.VersionID] {
			t.Errorf("the recount from ballots.json gives version %d %d approvals, want %d", c.VersionID, c.Count, want[c.VersionID])
		}
	}
	stored, again, err := st.Recount(ctx, round.ID)
	must(err)
	if !stored.Equal(again) {
		t.Errorf("the database's recount differs from the stored result:\n%+v\n%+v", again, stored)
	}

	// After the close the paper page keeps the record, and takes no more.
	fran.Open(paperPath)
	wantContains(t, "the paper page after closing", fran.Text(".notice"), "This vote has closed")
	if n := fran.Count(`form[action="` + paperPath + `/entries"]`); n != 0 {
		t.Errorf("the closed vote's paper page still offers the key-in form")
	}
	wantContains(t, "sheets after closing", fran.Text("#paper-count"),
		"Sheets printed: 20. Counting: 18. Spoiled: 1. Entered but not matched yet: 1. Not entered: 0.")
}

// pdfTools fails the test in CI, and skips it elsewhere, when poppler's
// pdfinfo and pdftotext (Debian's poppler-utils) are missing: the paper
// tests read printed PDFs back with them.
func pdfTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			msg := fmt.Sprintf("reading printed PDFs needs %s: apt-get install poppler-utils", tool)
			if os.Getenv("CI") != "" {
				t.Fatal("CI is set, and in CI " + msg)
			}
			t.Skip(msg)
		}
	}
}

var pdfSize = regexp.MustCompile(`(?m)^Page size:\s+(.+)$`)

// pdfPageSize is the first page's size as pdfinfo says it:
// "595.92 x 841.92 pts (A4)".
func pdfPageSize(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v: %s", path, err, out)
	}
	m := pdfSize.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s says no page size: %s", path, out)
	}
	return string(m[1])
}

// pdfPages is the text of each page of a PDF, as pdftotext reads it.
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	// pdftotext ends every page with a form feed.
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1]
}
