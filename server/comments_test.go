package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/model"
)

// agreedOf is the agreed version of a term of the test app.
func (a *testApp) agreedOf(slug string) int64 {
	a.t.Helper()
	t, err := a.store.Term(context.Background(), slug)
	if err != nil {
		a.t.Fatal(err)
	}
	return t.AgreedVersionID
}

// commentCount is how many comments are stored.
func (a *testApp) commentCount(versionID int64) int {
	a.t.Helper()
	threads, err := a.store.Comments(context.Background(), versionID)
	if err != nil {
		a.t.Fatal(err)
	}
	n := 0
	for _, c := range threads {
		n += 1 + len(c.Replies)
	}
	return n
}

// comment posts through the store, as u.
func (a *testApp) comment(versionID, parent int64, kind model.CommentKind, body string, u model.User) model.Comment {
	a.t.Helper()
	c, err := a.store.CreateComment(context.Background(), model.NewComment{
		VersionID: versionID, ParentID: parent, Kind: kind, Markdown: body, Author: &u}, 0)
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

func TestCommentOnVersion(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	vid := a.agreedOf("social-prescribing")
	path := fmt.Sprintf("/versions/%d", vid)

	// A visitor reads that there are no comments and is asked to sign in.
	res := a.visitor().get(path).wantStatus(t, http.StatusOK)
	if res.doc.Find("#comments form").Length() != 0 {
		t.Error("a visitor is offered the comment form")
	}
	if href := res.doc.Find(`#comments a[href^="/login"]`).AttrOr("href", ""); href != path+"%23comments" && href != "/login?next="+path+"%23comments" {
		t.Errorf("the sign-in link goes to %q", href)
	}

	// Each role comments, and the page says where each speaks from.
	speakers := []struct {
		who  model.User
		kind model.CommentKind
		body string
		from string
	}{
		{a.resident, model.TriedIt, "We read it out at the **coffee morning**; people asked what a link worker is.", "Rae, resident of Peckham"},
		{a.statutory, model.Question, "Should we say *GP practice*?", "Sam, Southwark Council Statutory"},
		{a.voluntary, model.Suggestion, "Say who pays.", "Val, Peckham Community Hub Voluntary & community"},
		{a.facilitator, model.Question, "Shall we try it at the library?", "Fran, facilitator"},
	}
	var ids []int64
	for _, sp := range speakers {
		c := a.as(sp.who)
		res := c.post(path+"/comments", url.Values{"kind": {string(sp.kind)}, "body": {sp.body}})
		loc := res.header.Get("Location")
		if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, path+"#comment-") {
			t.Fatalf("%s: got %d to %q, want 303 to %s#comment-N", sp.who.Name, res.status, loc, path)
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(loc, path+"#comment-"), 10, 64)
		ids = append(ids, id)
		page := c.get(path).wantStatus(t, http.StatusOK)
		if got := page.text(".flash"); got != "Your comment is posted." {
			t.Errorf("flash = %q", got)
		}
	}
	page := a.visitor().get(path).wantStatus(t, http.StatusOK)
	for i, sp := range speakers {
		li := page.doc.Find(fmt.Sprintf("#comment-%d", ids[i]))
		if li.Length() != 1 {
			t.Fatalf("comment %d is not on the page", ids[i])
		}
		if got := text(li.Find(".speaker")); got != sp.from {
			t.Errorf("%s speaks from %q, want %q", sp.who.Name, got, sp.from)
		}
		if got := text(li.Find(".badge-kind")); got != model.CommentKind(sp.kind).Label() {
			t.Errorf("%s's comment is a %q, want %q", sp.who.Name, got, sp.kind.Label())
		}
	}
	if got := page.doc.Find(fmt.Sprintf("#comment-%d .wording strong", ids[0])).Text(); got != "coffee morning" {
		t.Errorf("the markdown is not rendered: strong = %q", got)
	}
	if got := page.text("#comments-heading"); got != "Comments (2 questions, 1 suggestion, 1 tried it)" {
		t.Errorf("heading = %q", got)
	}
	if page.doc.Find(`#comments .badge-statutory`).Length() != 1 || page.doc.Find(`#comments .badge-voluntary`).Length() != 1 {
		t.Error("the partners' comments do not carry their sector badges")
	}

	// A reply is indented under the comment it answers; a reply to the
	// reply joins the same thread.
	rae := a.as(a.resident)
	res = rae.post(path+"/comments", url.Values{"kind": {"suggestion"}, "body": {"Yes, say GP practice."}, "parent_id": {strconv.FormatInt(ids[1], 10)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("reply: %d %s", res.status, res.text("main"))
	}
	reply, _ := strconv.ParseInt(strings.TrimPrefix(res.header.Get("Location"), path+"#comment-"), 10, 64)
	res = a.as(a.statutory).post(path+"/comments", url.Values{"kind": {"question"}, "body": {"Agreed?"}, "parent_id": {strconv.FormatInt(reply, 10)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("reply to a reply: %d %s", res.status, res.text("main"))
	}
	page = a.visitor().get(path)
	replies := page.doc.Find(fmt.Sprintf("#comment-%d > ol.replies > li.reply", ids[1]))
	if replies.Length() != 2 || replies.First().AttrOr("id", "") != fmt.Sprintf("comment-%d", reply) {
		t.Errorf("the thread of comment %d has %d replies, want 2, the first %d", ids[1], replies.Length(), reply)
	}

	// Signed in, each top comment has a reply form and a report form; only
	// a facilitator sees hide forms.
	mine := rae.get(path)
	if n := mine.doc.Find(`form[action="` + path + `/comments"] input[name=parent_id]`).Length(); n != len(speakers) {
		t.Errorf("%d reply forms, want one per thread (%d)", n, len(speakers))
	}
	if mine.doc.Find(`form[action$="/hide"]`).Length() != 0 {
		t.Error("a resident is offered to hide comments")
	}
	if mine.doc.Find(`form[action$="/report"]`).Length() != len(speakers)+2 {
		t.Errorf("%d report forms, want one per comment", mine.doc.Find(`form[action$="/report"]`).Length())
	}
	if a.as(a.facilitator).get(path).doc.Find(`form[action$="/hide"]`).Length() != len(speakers)+2 {
		t.Error("a facilitator is not offered to hide each comment")
	}
}

func TestCommentRefused(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	vid := a.agreedOf("social-prescribing")
	other := a.agreedOf("wellbeing")
	onOther := a.comment(other, 0, model.Question, "elsewhere", a.statutory)
	path := fmt.Sprintf("/versions/%d/comments", vid)
	tests := []struct {
		name   string
		path   string
		form   url.Values
		status int
		field  string // the id of the field marked invalid, if any
	}{
		{"bad kind", path, url.Values{"kind": {"rant"}, "body": {"typed text"}}, 422, ""},
		{"no kind", path, url.Values{"body": {"typed text"}}, 422, ""},
		{"empty body", path, url.Values{"kind": {"question"}, "body": {"  "}}, 422, "comment-body"},
		{"too long", path, url.Values{"kind": {"question"}, "body": {strings.Repeat("typed text ", 400)}}, 422, "comment-body"},
		{"unknown version", "/versions/9999/comments", url.Values{"kind": {"question"}, "body": {"typed text"}}, 404, ""},
		{"not a version", "/versions/x/comments", url.Values{"kind": {"question"}, "body": {"typed text"}}, 404, ""},
		{"missing parent", path, url.Values{"kind": {"question"}, "body": {"typed text"}, "parent_id": {"9999"}}, 422, ""},
		{"parent not a number", path, url.Values{"kind": {"question"}, "body": {"typed text"}, "parent_id": {"x"}}, 422, ""},
		{"parent on another version", path, url.Values{"kind": {"question"}, "body": {"typed text"}, "parent_id": {strconv.FormatInt(onOther.ID, 10)}}, 422, ""},
	}
	c := a.as(a.resident)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.post(tt.path, tt.form).wantStatus(t, tt.status)
			if n := a.commentCount(vid); n != 0 {
				t.Errorf("%d comments stored, want none", n)
			}
			if tt.status != 422 {
				return
			}
			if res.doc.Find(".error-summary").Length() == 0 {
				t.Error("the page does not say what is wrong")
			}
			if got := res.doc.Find("#comment-body").Text(); got != tt.form.Get("body") {
				t.Errorf("the typed text is not kept: %.40q", got)
			}
			if tt.field != "" {
				f := res.doc.Find("#" + tt.field)
				if f.AttrOr("aria-invalid", "") != "true" || !strings.Contains(f.AttrOr("aria-describedby", ""), tt.field+"-error") {
					t.Errorf("field %s is not marked invalid and described by its error", tt.field)
				}
			}
		})
	}
	t.Run("too long says so", func(t *testing.T) {
		res := c.post(path, url.Values{"kind": {"question"}, "body": {strings.Repeat("x", model.MaxCommentLen+1)}})
		if msg := res.text("#comment-body-error"); !strings.Contains(msg, "4000 characters") {
			t.Errorf("message = %q", msg)
		}
	})
	t.Run("a reply's error is on its form", func(t *testing.T) {
		top := a.comment(vid, 0, model.Question, "top", a.statutory)
		res := c.post(path, url.Values{"kind": {"question"}, "body": {""}, "parent_id": {strconv.FormatInt(top.ID, 10)}}).wantStatus(t, 422)
		prefix := fmt.Sprintf("#reply-%d-", top.ID)
		if res.doc.Find(prefix+"body").AttrOr("aria-invalid", "") != "true" {
			t.Error("the reply's text area is not marked invalid")
		}
		if res.doc.Find(prefix+"body").ParentsFiltered("details").AttrOr("open", "none") == "none" {
			t.Error("the reply form with the error is folded away")
		}
	})
}

func TestCommentSpamLimit(t *testing.T) {
	t.Parallel()
	st := openTestStore(t)
	srv, err := New(Config{Store: st, SessionKey: []byte("a test session key that is long enough"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), CommentsPerMinute: 2})
	if err != nil {
		t.Fatal(err)
	}
	a := &testApp{t: t, srv: srv, store: st, ts: httptest.NewServer(srv)}
	atEnd(t, a.ts.Close)
	nb, err := st.CreateNeighbourhood(context.Background(), "Peckham")
	if err != nil {
		t.Fatal(err)
	}
	a.resident = a.user(model.NewUser{Name: "Rae", Role: model.Resident, NeighbourhoodID: nb.ID})
	tm, err := st.ImportTerm(context.Background(), "Wellbeing", "", "How well you feel.")
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/versions/%d/comments", tm.AgreedVersionID)
	c := a.as(a.resident)
	for i := range 2 {
		if res := c.post(path, url.Values{"kind": {"question"}, "body": {fmt.Sprint("comment ", i)}}); res.status != http.StatusSeeOther {
			t.Fatalf("comment %d: %d", i, res.status)
		}
	}
	res := c.post(path, url.Values{"kind": {"question"}, "body": {"one too many"}}).wantStatus(t, http.StatusTooManyRequests)
	if !strings.Contains(res.text(".error-summary"), "2 comments in the last minute") {
		t.Errorf("the page says %q", res.text(".error-summary"))
	}
	if res.header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if got := res.doc.Find("#comment-body").Text(); got != "one too many" {
		t.Errorf("typed text not kept: %q", got)
	}
	if n := a.commentCount(tm.AgreedVersionID); n != 2 {
		t.Errorf("%d comments stored, want 2", n)
	}
}

func TestHideComment(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	vid := a.agreedOf("social-prescribing")
	rude := a.comment(vid, 0, model.Suggestion, "You are all **idiots**.", a.statutory)
	hidePath := fmt.Sprintf("/comments/%d/hide", rude.ID)

	a.as(a.resident).post(hidePath, url.Values{"reason": {"I do not like it"}}).wantStatus(t, http.StatusForbidden)
	a.as(a.statutory).post(hidePath, url.Values{"reason": {"mine"}}).wantStatus(t, http.StatusForbidden)
	fac := a.as(a.facilitator)
	res := fac.post(hidePath, url.Values{"reason": {" "}}).wantStatus(t, http.StatusUnprocessableEntity)
	f := res.doc.Find(fmt.Sprintf("#hide-%d-reason", rude.ID))
	if f.AttrOr("aria-invalid", "") != "true" || f.ParentsFiltered("details").AttrOr("open", "none") == "none" {
		t.Error("hiding without a reason: the reason field is not shown open and marked invalid")
	}
	fac.post("/comments/9999/hide", url.Values{"reason": {"Rude"}}).wantStatus(t, http.StatusNotFound)
	if c, _ := a.store.Comment(context.Background(), rude.ID); c.Hidden {
		t.Fatal("a refused hide hid the comment")
	}

	fac.post(hidePath, url.Values{"reason": {"Rude about other people"}}).wantRedirect(t, fmt.Sprintf("/versions/%d#comment-%d", vid, rude.ID))
	page := a.visitor().get(fmt.Sprintf("/versions/%d", vid))
	li := page.doc.Find(fmt.Sprintf("#comment-%d", rude.ID))
	if got := text(li.Find(".comment-hidden")); got != "Hidden by a facilitator: Rude about other people" {
		t.Errorf("the hidden comment shows %q", got)
	}
	if got := page.text("#comments-heading"); got != "Comments" {
		t.Errorf("with only a hidden comment the heading is %q, want no count", got)
	}
	if strings.Contains(page.body, "idiots") {
		t.Error("the hidden comment's text is still on the page")
	}
	if c, err := a.store.Comment(context.Background(), rude.ID); err != nil || c.Markdown != rude.Markdown {
		t.Error("the hidden comment is not kept in the database")
	}
	if got := a.visitor().get("/terms/social-prescribing").text(".agreed .comment-count"); !strings.HasSuffix(got, "no comments yet") {
		t.Errorf("the term page counts the hidden comment: %q", got)
	}
}

func TestReportComment(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	vid := a.agreedOf("social-prescribing")
	c := a.comment(vid, 0, model.Question, "Is this spam?", a.voluntary)
	reportPath := fmt.Sprintf("/comments/%d/report", c.ID)
	back := fmt.Sprintf("/versions/%d#comment-%d", vid, c.ID)

	a.visitor().post(reportPath, nil).wantStatus(t, http.StatusUnauthorized)
	rae := a.as(a.resident)
	rae.post(reportPath, url.Values{"reason": {"Off topic"}}).wantRedirect(t, back)
	rae.post(reportPath, url.Values{"reason": {"Really off topic"}}).wantRedirect(t, back)
	if got := rae.get(fmt.Sprintf("/versions/%d", vid)).text(".flash"); !strings.Contains(got, "already reported") {
		t.Errorf("a second report says %q", got)
	}
	a.as(a.statutory).post(reportPath, nil).wantRedirect(t, back)
	res := a.as(a.statutory).post(reportPath, url.Values{"reason": {strings.Repeat("x", model.MaxReasonLen+1)}}).wantStatus(t, http.StatusUnprocessableEntity)
	if res.doc.Find(fmt.Sprintf("#report-%d-reason", c.ID)).AttrOr("aria-invalid", "") != "true" {
		t.Error("a long reason is not marked on its field")
	}
	a.as(a.statutory).post("/comments/9999/report", nil).wantStatus(t, http.StatusNotFound)

	// The facilitator sees it at /admin/reports, linked from /admin, with
	// both reports and a hide form that comes back here.
	fac := a.as(a.facilitator)
	if href := fac.get("/admin").doc.Find(`main a[href="/admin/reports"]`).Length(); href != 1 {
		t.Error("/admin does not link to /admin/reports")
	}
	page := fac.get("/admin/reports").wantStatus(t, http.StatusOK)
	item := page.doc.Find("ol.reported > li")
	if item.Length() != 1 {
		t.Fatalf("%d reported comments listed, want 1", item.Length())
	}
	if href := item.Find(`h2 a`).AttrOr("href", ""); href != back {
		t.Errorf("the report links to %q, want %q", href, back)
	}
	if got := text(item.Find("ul.reports")); !strings.Contains(got, "Rae (resident)") || !strings.Contains(got, "“Off topic”") || strings.Contains(got, "Really") || !strings.Contains(got, "Sam (partner)") {
		t.Errorf("the reports say %q", got)
	}
	form := item.Find(fmt.Sprintf(`form[action="/comments/%d/hide"]`, c.ID))
	if form.Find(`input[name=back][value=reports]`).Length() != 1 {
		t.Fatal("no hide form that comes back to the reports")
	}
	res = fac.post(fmt.Sprintf("/comments/%d/hide", c.ID), url.Values{"back": {"reports"}}).wantStatus(t, http.StatusUnprocessableEntity)
	if res.doc.Find(fmt.Sprintf("#hide-%d-reason", c.ID)).AttrOr("aria-invalid", "") != "true" {
		t.Error("the reports page does not mark the missing reason")
	}
	fac.post(fmt.Sprintf("/comments/%d/hide", c.ID), url.Values{"back": {"reports"}, "reason": {"Spam"}}).wantRedirect(t, "/admin/reports")
	if n := fac.get("/admin/reports").doc.Find("ol.reported > li").Length(); n != 0 {
		t.Errorf("%d reported comments after hiding, want none", n)
	}
}

func TestCommentCountsAndRound(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	round := a.openRound("social-prescribing")
	agreed, other := round.Candidates[0].ID, round.Candidates[1].ID
	a.comment(agreed, 0, model.Question, "What is a link worker?", a.resident)
	q := a.comment(agreed, 0, model.Question, "Which GP?", a.voluntary)
	a.comment(agreed, q.ID, model.TriedIt, "We tried it at the surgery.", a.statutory)
	a.comment(other, 0, model.Suggestion, "Shorter, please.", a.resident)

	page := a.visitor().get("/terms/social-prescribing").wantStatus(t, http.StatusOK)
	if got := page.text(".agreed .comment-count"); got != fmt.Sprintf("Comments on version %d: 2 questions, 1 tried it", agreed) {
		t.Errorf("agreed wording's count = %q", got)
	}
	if got := page.text(fmt.Sprintf("#v%d .comment-count", other)); got != fmt.Sprintf("Comments on version %d: 1 suggestion", other) {
		t.Errorf("other wording's count = %q", got)
	}

	// The API counts them too.
	var api struct {
		Versions []struct {
			ID       int64               `json:"id"`
			Comments model.CommentCounts `json:"comments"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(a.visitor().get("/api/v1/terms/social-prescribing").body), &api); err != nil {
		t.Fatal(err)
	}
	for _, v := range api.Versions {
		want := map[int64]model.CommentCounts{agreed: {Question: 2, TriedIt: 1}, other: {Suggestion: 1}}[v.ID]
		if v.Comments != want {
			t.Errorf("API: version %d has comments %+v, want %+v", v.ID, v.Comments, want)
		}
	}

	// Residents read the discussion beside each candidate before they vote.
	for _, c := range []*client{a.visitor(), a.as(a.resident)} {
		res := c.get(fmt.Sprintf("/rounds/%d", round.ID)).wantStatus(t, http.StatusOK)
		cand := res.doc.Find(fmt.Sprintf("#candidate-%d", agreed))
		if got := text(cand.Find("details.candidate-comments > summary")); got != fmt.Sprintf("Comments on version %d: 2 questions, 1 tried it", agreed) {
			t.Errorf("summary = %q", got)
		}
		if got := text(cand.Find("details.candidate-comments li.reply .wording")); got != "We tried it at the surgery." {
			t.Errorf("the reply beside the candidate = %q", got)
		}
		if got := text(cand.Find("details.candidate-comments li.reply .speaker")); got != "Sam, Southwark Council Statutory" {
			t.Errorf("the reply's speaker = %q", got)
		}
		if got := text(res.doc.Find(fmt.Sprintf("#candidate-%d details.candidate-comments .wording", other))); got != "Shorter, please." {
			t.Errorf("the other candidate's comments = %q", got)
		}
	}
}

func TestChangesListComments(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	vid := a.agreedOf("social-prescribing")
	tried := a.comment(vid, 0, model.TriedIt, "We tried it at the surgery.", a.resident)
	reply := a.comment(vid, tried.ID, model.Suggestion, "Say which surgery.", a.statutory)
	rude := a.comment(vid, 0, model.Question, "Who cares?", a.voluntary)
	if err := a.store.HideComment(context.Background(), rude.ID, &a.facilitator, "Rude"); err != nil {
		t.Fatal(err)
	}
	res := a.visitor().get("/changes?kind=comments").wantStatus(t, http.StatusOK)
	want := []string{
		fmt.Sprintf("Reply: Social prescribing -> /versions/%d#comment-%d", vid, reply.ID),
		fmt.Sprintf("Comment: Social prescribing -> /versions/%d#comment-%d", vid, tried.ID),
	}
	if got := changeLines(res); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("comments in the changes:\n%s\nwant (the hidden one left out):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var summaries []string
	res.doc.Find("li.change .change-summary").Each(func(_ int, s *goquery.Selection) { summaries = append(summaries, text(s)) })
	wantSummaries := []string{
		fmt.Sprintf("A suggestion from Sam, Southwark Council (statutory) on version %d.", vid),
		fmt.Sprintf("Tried it from Rae, resident of Peckham on version %d.", vid),
	}
	if strings.Join(summaries, "|") != strings.Join(wantSummaries, "|") {
		t.Errorf("summaries = %q, want %q", summaries, wantSummaries)
	}
	if all := changeLines(a.visitor().get("/changes")); !slices.Contains(all, want[1]) {
		t.Errorf("all changes leave out the comment: %q", all)
	}
	if feed := a.visitor().get("/feed.atom").body; !strings.Contains(feed, "Tried it from Rae") {
		t.Error("the feed of all changes leaves out the comment")
	}
}
