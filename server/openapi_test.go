package server

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"wordgarden/server/tally"
)

// loadOpenAPI fetches /api/openapi.json and checks it is valid OpenAPI 3.1
// with kin-openapi's validator.
func loadOpenAPI(t *testing.T, a *testApp) *openapi3.T {
	t.Helper()
	res := a.visitor().get("/api/openapi.json").wantStatus(t, http.StatusOK)
	if !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type = %q", res.header.Get("Content-Type"))
	}
	if !json.Valid([]byte(res.body)) {
		t.Fatal("/api/openapi.json is not valid JSON")
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(res.body))
	if err != nil {
		t.Fatalf("the API description does not load as OpenAPI: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the API description is not valid OpenAPI 3.1: %v", err)
	}
	return doc
}

var pathParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestOpenAPIDescribesEveryRoute fails for a registered /api route that the
// description lacks, and for a described path that is not served.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	doc := loadOpenAPI(t, a)
	served := map[string]bool{}
	for _, r := range a.srv.e.Routes() {
		// HEAD is GET without the body (HTTP says so), not described apart.
		if !strings.HasPrefix(r.Path, "/api/") || r.Method == http.MethodHead {
			continue
		}
		path := pathParam.ReplaceAllString(r.Path, "{$1}")
		served[path] = true
		item := doc.Paths.Value(path)
		if item == nil {
			t.Errorf("%s %s is served but not in /api/openapi.json (as %s)", r.Method, r.Path, path)
			continue
		}
		op := item.GetOperation(r.Method)
		if op == nil {
			t.Errorf("/api/openapi.json has %s but not its %s", path, r.Method)
			continue
		}
		if op.Responses.Status(http.StatusOK) == nil {
			t.Errorf("%s %s: no 200 response described", r.Method, path)
		}
		for _, name := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			if op.Parameters.GetByInAndName("path", name[1]) == nil {
				t.Errorf("%s %s: path parameter %s is not described", r.Method, path, name[1])
			}
		}
		if strings.HasPrefix(path, "/api/v1/") && strings.HasSuffix(path, "}") && op.Responses.Status(http.StatusNotFound) == nil {
			t.Errorf("%s %s: no 404 described", r.Method, path)
		}
	}
	if len(served) < 5 {
		t.Fatalf("only %d /api routes found; is the walk broken?", len(served))
	}
	for path := range doc.Paths.Map() {
		if !served[path] {
			t.Errorf("/api/openapi.json describes %s, which is not served", path)
		}
	}
	errSchema := doc.Components.Schemas["Error"]
	if errSchema == nil || errSchema.Value.Properties["error"] == nil {
		t.Error("the description has no Error schema with an error field")
	}
}

// TestOpenAPIMatchesAnswers checks the API's real answers against the
// schemas the description gives them, which forbid fields they do not
// name: a field added to the API but not to the description fails here.
func TestOpenAPIMatchesAnswers(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	doc := loadOpenAPI(t, a)
	ctx := context.Background()

	// An open round on one term, a closed one that settled on another, and
	// a term with no agreed wording.
	open := a.openRound("social-prescribing")
	closed := a.openRound("wellbeing")
	if _, err := a.store.CastBallot(ctx, closed.ID, a.resident, tally.Ballot{Approve: []int64{closed.Candidates[1].ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.CloseRound(ctx, closed.ID); err != nil {
		t.Fatal(err)
	}
	// A wording the plain-language check flags for everything it can: a
	// long sentence, words to avoid, an acronym and a link to a term being
	// voted on.
	a.as(a.statutory).post("/terms", map[string][]string{"title": {"Carer"}, "markdown": {
		"Someone who looks after [[Wellbeing|another]] person and helps them leverage support from stakeholders in the PCN, " +
			"which is a long sentence written here on purpose so that it runs on well past the limit that the check sets for a sentence. " +
			"See [[Social prescribing]]."}}).
		wantRedirect(t, "/terms/carer")
	var carer struct {
		Versions []struct {
			Readability map[string]json.RawMessage `json:"readability"`
		} `json:"versions"`
	}
	body := a.visitor().get("/api/v1/terms/carer").body
	if err := json.Unmarshal([]byte(body), &carer); err != nil || len(carer.Versions) != 1 {
		t.Fatalf("carer: %s", body)
	}
	for _, list := range []string{"long_sentences", "jargon", "acronyms", "contested_links"} {
		if l := string(carer.Versions[0].Readability[list]); l == "" || l == "[]" {
			t.Errorf("the check of carer's wording has no %s, so its schema is not tested: %s", list, body)
		}
	}

	// An Easy Read version with a picture, so that its schema is tested.
	a.as(a.voluntary).post("/terms/social-prescribing/easyread", a.easyReadForm()).
		wantRedirect(t, "/terms/social-prescribing#easy-read")

	check := func(path, opPath string, status int) {
		t.Helper()
		res := a.visitor().get(path)
		if res.status != status {
			t.Fatalf("GET %s: status %d, want %d: %s", path, res.status, status, res.body)
		}
		item := doc.Paths.Value(opPath)
		if item == nil || item.Get == nil {
			t.Fatalf("/api/openapi.json does not describe GET %s", opPath)
		}
		op := item.Get
		resp := op.Responses.Status(status)
		if resp == nil {
			resp = op.Responses.Default()
		}
		media := resp.Value.Content.Get("application/json")
		if media == nil {
			t.Fatalf("%s %d: no JSON schema described", opPath, status)
		}
		var v any
		if err := json.Unmarshal([]byte(res.body), &v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if err := media.Schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("GET %s (%d) does not match its schema in /api/openapi.json: %v\nbody: %.600s", path, status, err, res.body)
		}
	}
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	check("/api/v1/terms", "/api/v1/terms", http.StatusOK)
	check("/api/v1/terms/social-prescribing", "/api/v1/terms/{slug}", http.StatusOK)
	check("/api/v1/terms/carer", "/api/v1/terms/{slug}", http.StatusOK)
	check("/api/v1/terms/nobody-wrote-this", "/api/v1/terms/{slug}", http.StatusNotFound)
	check("/api/v1/rounds", "/api/v1/rounds", http.StatusOK)
	check("/api/v1/rounds?term=wellbeing", "/api/v1/rounds", http.StatusOK)
	check("/api/v1/rounds?term=nothing", "/api/v1/rounds", http.StatusNotFound)
	check("/api/v1/rounds/"+id(open.ID), "/api/v1/rounds/{id}", http.StatusOK)
	check("/api/v1/rounds/"+id(closed.ID), "/api/v1/rounds/{id}", http.StatusOK)
	check("/api/v1/rounds/999", "/api/v1/rounds/{id}", http.StatusNotFound)

	// The schemas are strict: an answer with a field they do not name fails.
	schema := doc.Components.Schemas["TermSummary"].Value
	extra := map[string]any{"slug": "x", "title": "X", "summary": "", "agreed_version_id": nil,
		"updated_at": "2026-01-01T00:00:00Z", "secret": "y"}
	if schema.VisitJSON(extra, openapi3.EnableJSONSchema2020()) == nil {
		t.Error("TermSummary accepts a field it does not describe")
	}
}
