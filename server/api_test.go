package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestAPITerms(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.as(a.statutory).post("/terms", url.Values{"title": {"Carer"}, "markdown": {"Someone who looks after another person."}}).
		wantRedirect(t, "/terms/carer")

	res := a.visitor().get("/api/v1/terms").wantStatus(t, http.StatusOK)
	if !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type = %q", res.header.Get("Content-Type"))
	}
	var terms []struct {
		Slug            string    `json:"slug"`
		Title           string    `json:"title"`
		Summary         string    `json:"summary"`
		AgreedVersionID *int64    `json:"agreed_version_id"`
		UpdatedAt       time.Time `json:"updated_at"`
	}
	if err := json.Unmarshal([]byte(res.body), &terms); err != nil {
		t.Fatal(err)
	}
	if len(terms) != 3 || terms[0].Slug != "carer" || terms[1].Slug != "social-prescribing" {
		t.Fatalf("terms = %+v", terms)
	}
	if terms[0].AgreedVersionID != nil || terms[1].AgreedVersionID == nil {
		t.Errorf("agreed_version_id: carer %v, social prescribing %v", terms[0].AgreedVersionID, terms[1].AgreedVersionID)
	}
	if terms[1].Summary != "Help from your GP to join local groups." || terms[1].UpdatedAt.IsZero() {
		t.Errorf("social prescribing = %+v", terms[1])
	}
	var raw []map[string]any
	json.Unmarshal([]byte(res.body), &raw)
	for _, key := range []string{"slug", "title", "summary", "agreed_version_id", "updated_at"} {
		if _, ok := raw[0][key]; !ok {
			t.Errorf("a term has no %q field", key)
		}
	}
}

func TestAPITerm(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	sp, _ := a.store.Term(ctx, "social-prescribing")
	a.as(a.voluntary).post("/terms/social-prescribing/versions", url.Values{
		"markdown": {"Your GP helps you find **local groups**."}, "parent_id": {itoa(sp.AgreedVersionID)},
	})

	res := a.visitor().get("/api/v1/terms/social-prescribing").wantStatus(t, http.StatusOK)
	type version struct {
		ID           int64     `json:"id"`
		ParentID     *int64    `json:"parent_id"`
		Markdown     string    `json:"markdown"`
		HTML         string    `json:"html"`
		Author       string    `json:"author"`
		Organisation string    `json:"organisation"`
		Sector       string    `json:"sector"`
		CreatedAt    time.Time `json:"created_at"`
	}
	var term struct {
		Slug     string    `json:"slug"`
		Title    string    `json:"title"`
		Agreed   *version  `json:"agreed"`
		Versions []version `json:"versions"`
	}
	if err := json.Unmarshal([]byte(res.body), &term); err != nil {
		t.Fatal(err)
	}
	if term.Agreed == nil || term.Agreed.ID != sp.AgreedVersionID || !strings.Contains(term.Agreed.HTML, `href="/terms/wellbeing"`) {
		t.Fatalf("agreed = %+v", term.Agreed)
	}
	if len(term.Versions) != 2 {
		t.Fatalf("versions = %+v", term.Versions)
	}
	v := term.Versions[1]
	if v.Author != "Val" || v.Organisation != "Peckham Community Hub" || v.Sector != "voluntary" ||
		v.ParentID == nil || *v.ParentID != sp.AgreedVersionID || !strings.Contains(v.HTML, "<strong>local groups</strong>") {
		t.Errorf("amendment = %+v", v)
	}
	var raw map[string]json.RawMessage
	json.Unmarshal([]byte(res.body), &raw)
	var versions []map[string]any
	json.Unmarshal(raw["versions"], &versions)
	if _, ok := versions[0]["parent_id"]; !ok {
		t.Error("versions have no parent_id field")
	}

	for path, want := range map[string]int{
		"/api/v1/terms/no-such-term": http.StatusNotFound,
		"/api/v1/nothing":            http.StatusNotFound,
	} {
		res := a.visitor().get(path)
		var e struct {
			Error string `json:"error"`
		}
		if res.status != want || json.Unmarshal([]byte(res.body), &e) != nil || e.Error == "" {
			t.Errorf("GET %s = %d %q, want %d with {\"error\": ...}", path, res.status, res.body, want)
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
