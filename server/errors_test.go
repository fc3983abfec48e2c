package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// A missing thing is a 404 that says what is missing, whichever page asked
// for it: the store names the thing, and handleError words it.
func TestMissingThingsAreNamed(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	visitor, resident, fac := a.visitor(), a.as(a.resident), a.as(a.facilitator)
	const (
		term    = "There is no term here. Search the glossary, or start the term if you are a partner."
		version = "There is no version with that number."
		vote    = "There is no vote with that number."
		comment = "There is no comment with that number."
		word    = "There is no such word on the list. Someone may have taken it off already."
		page    = "There is no page here. It may have moved, or the address may be mistyped."
	)
	for _, tc := range []struct {
		name string
		get  func() *response
		want string
	}{
		{"version by number", func() *response { return visitor.get("/versions/999999") }, version},
		{"version by a word", func() *response { return visitor.get("/versions/abc") }, version},
		{"round", func() *response { return visitor.get("/rounds/999999") }, vote},
		{"round's results", func() *response { return visitor.get("/rounds/999999/results") }, vote},
		{"term's history", func() *response { return visitor.get("/terms/no-such-term/history") }, term},
		{"term's feed", func() *response { return visitor.get("/terms/no-such-term/feed.atom") }, term},
		{"ballot in a missing round", func() *response { return resident.post("/rounds/999999/ballot", nil) }, vote},
		{"report of a missing comment", func() *response { return resident.post("/comments/999999/report", nil) }, comment},
		{"hiding a missing comment", func() *response { return fac.post("/comments/999999/hide", nil) }, comment},
		{"deleting a missing local word", func() *response { return fac.post("/admin/words/999999/delete", nil) }, word},
		{"no route", func() *response { return visitor.get("/nowhere") }, page},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.get().wantStatus(t, http.StatusNotFound)
			if got := res.text("main"); !strings.Contains(got, tc.want) {
				t.Errorf("page says %q, want %q", got, tc.want)
			}
		})
	}

	// The API answers in JSON, with the same words.
	res := visitor.get("/api/v1/rounds/999999").wantStatus(t, http.StatusNotFound)
	var body struct{ Error string }
	if err := json.Unmarshal([]byte(res.body), &body); err != nil || body.Error != vote {
		t.Errorf("API answer %q (%v), want error %q", res.body, err, vote)
	}
}
