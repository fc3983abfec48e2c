package server

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// withHistory gives the test app one of each kind of change: a term
// started by the statutory partner and amended by the voluntary one, a vote
// on social prescribing that settled the new wording, and a vote on the new
// term that closed without agreeing one. It returns the two rounds.
func (a *testApp) withHistory() (settled, failed model.Round) {
	a.t.Helper()
	ctx := context.Background()
	term, first, err := a.store.CreateTerm(ctx, "Care navigator", model.NewVersion{
		Markdown: "Someone who helps you find your way to the right help. See [[Social prescribing]].", Author: &a.statutory})
	if err != nil {
		a.t.Fatal(err)
	}
	second, err := a.store.CreateVersion(ctx, term.ID, model.NewVersion{
		Markdown: "A person who **guides** you to services <script>alert(1)</script>.", ParentID: first.ID, Author: &a.voluntary})
	if err != nil {
		a.t.Fatal(err)
	}
	settled = a.openRound("social-prescribing")
	if _, err := a.store.CastBallot(ctx, settled.ID, a.resident, tallyApprove(settled.Candidates[1].ID)); err != nil {
		a.t.Fatal(err)
	}
	if settled, err = a.store.CloseRound(ctx, settled.ID); err != nil {
		a.t.Fatal(err)
	}
	failed, err = a.store.OpenRound(ctx, model.NewRound{TermID: term.ID, Candidates: []int64{first.ID, second.ID},
		Method: tally.Ranked, ClosesAt: timeNowPlusWeek(), Quorum: 10, ThresholdPct: 50, OpenedBy: a.facilitator})
	if err != nil {
		a.t.Fatal(err)
	}
	if failed, err = a.store.CloseRound(ctx, failed.ID); err != nil {
		a.t.Fatal(err)
	}
	return settled, failed
}

// changeLines are the changes a /changes page lists, as "Label: Title -> href".
func changeLines(res *response) []string {
	var out []string
	res.doc.Find("li.change").Each(func(_ int, li *goquery.Selection) {
		a := li.Find(".change-what a")
		out = append(out, text(li.Find(".change-what"))+" -> "+a.AttrOr("href", ""))
	})
	return out
}

func TestChangesPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	settled, failed := a.withHistory()
	c := a.visitor()

	res := c.get("/changes").wantStatus(t, http.StatusOK)
	got := changeLines(res)
	want := []string{
		fmt.Sprintf("Vote closed: Care navigator -> /rounds/%d/results", failed.ID),
		fmt.Sprintf("Vote opened: Care navigator -> /rounds/%d", failed.ID),
		fmt.Sprintf("Wording agreed: Social prescribing -> /rounds/%d/results", settled.ID),
		fmt.Sprintf("Vote opened: Social prescribing -> /rounds/%d", settled.ID),
		fmt.Sprintf("New wording: Social prescribing -> /versions/%d", settled.Candidates[1].ID),
		fmt.Sprintf("Amended wording: Care navigator -> /versions/%d", failed.Candidates[1].ID),
		"New term: Care navigator -> /terms/care-navigator",
		"New term: Wellbeing -> /terms/wellbeing",
		"New term: Social prescribing -> /terms/social-prescribing",
	}
	if !slices.Equal(got, want) {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.doc.Find("section.changes-day h2 time[datetime]").Length() == 0 {
		t.Error("the changes are not under a heading with their day")
	}
	amend := res.doc.Find("li.change-version").First()
	if m := text(amend.Find(".meta")); !strings.Contains(m, "by Val, Peckham Community Hub") || amend.Find(".badge-voluntary").Length() != 1 {
		t.Errorf("the amendment's line says %q", m)
	}
	if s := text(res.doc.Find("li.change-closed .change-summary")); !strings.HasPrefix(s, "No wording was agreed.") {
		t.Errorf("the failed vote's summary is %q", s)
	}
	if s := text(res.doc.Find("li.change-settled .change-summary")); !strings.Contains(s, "Residents chose the wording by Val (1 ballot)") {
		t.Errorf("the settled vote's summary is %q", s)
	}
	if res.doc.Find("script").Length() != 0 {
		t.Error("a wording's script reached the page")
	}
	if href := res.doc.Find(`head link[rel="alternate"][type="application/atom+xml"]`).AttrOr("href", ""); href != "/feed.atom" {
		t.Errorf("the page's feed is %q, want /feed.atom", href)
	}
	if cur := text(res.doc.Find(`nav.filters [aria-current="page"]`)); cur != "All changes" {
		t.Errorf("the current filter is %q", cur)
	}
	if res.doc.Find(`nav.pager`).Length() != 0 {
		t.Error("one page of changes offers other pages")
	}

	for _, tc := range []struct {
		kind  string
		want  []string
		label string
		feed  string
	}{
		{"terms", want[6:], "New terms", "/feed.atom"},
		{"versions", want[4:6], "New wordings", "/feed.atom"},
		{"rounds", want[:4], "Votes", "/rounds.atom"},
		{"settled", want[2:3], "Agreed wordings", "/rounds.atom"},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			res := c.get("/changes?kind="+tc.kind).wantStatus(t, http.StatusOK)
			if got := changeLines(res); !slices.Equal(got, tc.want) {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if cur := text(res.doc.Find(`nav.filters [aria-current="page"]`)); cur != tc.label {
				t.Errorf("the current filter is %q, want %q", cur, tc.label)
			}
			if href := res.doc.Find(`head link[rel="alternate"]`).AttrOr("href", ""); href != tc.feed {
				t.Errorf("the page's feed is %q, want %q", href, tc.feed)
			}
		})
	}

	for _, bad := range []struct{ path, says string }{
		{"/changes?kind=comets", "There is no kind of change called “comets”"},
		{"/changes?before=yesterday", "address the site did not make"},
		{"/changes?before=1-version-x", "address the site did not make"},
	} {
		res := c.get(bad.path)
		if res.status != http.StatusBadRequest || !strings.Contains(res.text("main"), bad.says) {
			t.Errorf("%s: %d %q, want 400 saying %q", bad.path, res.status, res.text("main"), bad.says)
		}
	}
}

// TestChangesPages follows "Older changes" from the first page to the last:
// every change is shown once, in order, 50 a page.
func TestChangesPages(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	wb, err := a.store.Term(ctx, "wellbeing")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		if _, err := a.store.CreateVersion(ctx, wb.ID, model.NewVersion{Markdown: fmt.Sprintf("Wording %d.", i), Author: &a.statutory}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := a.store.Changes(ctx, model.ChangeQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, ch := range all {
		want = append(want, a.srv.describeChange(i18n.For(i18n.English), ch).Href)
	}

	c := a.visitor()
	var got []string
	path := "/changes"
	for page := 1; path != ""; page++ {
		res := c.get(path).wantStatus(t, http.StatusOK)
		n := res.doc.Find("li.change").Length()
		if path != "" && n != min(50, len(want)-len(got)) {
			t.Errorf("page %d shows %d changes", page, n)
		}
		res.doc.Find("li.change .change-what a").Each(func(_ int, s *goquery.Selection) { got = append(got, s.AttrOr("href", "")) })
		if newest := res.doc.Find(`nav.pager a[href="/changes"]`).Length(); (page > 1) != (newest == 1) {
			t.Errorf("page %d has %d links to the newest changes", page, newest)
		}
		path = res.doc.Find(`nav.pager a[rel="next"]`).AttrOr("href", "")
		if page > 5 {
			t.Fatal("the pages do not end")
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("paged through %d changes, want %d; first difference at %d", len(got), len(want), firstDiff(got, want))
	}
}

func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// speaksFrom says where a comment's writer speaks from, in changes and
// feeds; an erased resident's comments name no one.
func TestSpeaksFrom(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		cm   model.Comment
		want string
	}{
		{model.Comment{AuthorRole: model.Resident, AuthorName: "Rae", NeighbourhoodName: "Peckham"}, "Rae, resident of Peckham"},
		{model.Comment{AuthorRole: model.Resident, AuthorName: model.FormerResident, NeighbourhoodName: "Peckham"}, "A former resident of Peckham"},
		{model.Comment{AuthorRole: model.Partner, AuthorName: "Sam", OrganisationName: "Southwark Council", Sector: model.Statutory}, "Sam, Southwark Council (statutory)"},
		{model.Comment{AuthorRole: model.Facilitator, AuthorName: "Fran"}, "Fran, facilitator"},
	} {
		if got := speaksFrom(i18n.For(i18n.English), tc.cm); got != tc.want {
			t.Errorf("speaksFrom(%+v) = %q, want %q", tc.cm, got, tc.want)
		}
	}
}
