package server

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// FuzzReadBallot sends readBallot any form body, for an approval and a
// ranked round. It never panics, and either refuses with a 400, refuses
// with a message the resident reads on the ballot (a ballot that chooses
// nothing without "None of these make sense", or chooses both), or reads a
// ballot: of the round's method only, naming only its candidates, with
// marks or with none, never both and never neither. The tally's check,
// which the store runs next, must not panic on it either, and the server
// words whatever it refuses.
func FuzzReadBallot(f *testing.F) {
	for _, body := range []string{
		"approve=3", "approve=3&approve=7&approve=12", "approve=", "approve=4", "approve=x", "approve=-3",
		"approve=3&approve=3", "approve=99999999999999999999", "rank_3=1&rank_7=2", "rank_3=&rank_7=1",
		"rank_3=1&rank_3=2", "rank_5=1", "rank_x=1", "rank_3=first", "rank_3=+1", "rank_3=%201%20",
		"rank_3=-1&rank_7=0&rank_12=99999999999", "rank_=1", "_csrf=abc&approve=7", "%zz", "a=%", "&&&=",
		"approve=3;approve=7", "approve=%00", "rank_03=1", "rank_+3=1", "rank_3=1e3", "",
		"none=1", "none=1&approve=3", "none=1&rank_3=1", "none=1&rank_3=", "none=0", "none=1&none=1", "none=",
		"approve=3&rank_7=1", "rank_3=&approve=", "none=1&approve=3&rank_7=2",
	} {
		f.Add(body, false)
		f.Add(body, true)
	}
	e := echo.New()
	candidates := []model.Version{{ID: 3}, {ID: 7}, {ID: 12}}
	f.Fuzz(func(t *testing.T, body string, ranked bool) {
		r := model.Round{ID: 1, Method: tally.Approval, Candidates: candidates}
		if ranked {
			r.Method = tally.Ranked
		}
		req := httptest.NewRequest(http.MethodPost, "/rounds/1/ballot", strings.NewReader(body))
		req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationForm)
		c := e.NewContext(req, httptest.NewRecorder())
		form, _ := c.FormParams()
		b, none, err := readBallot(c, r)
		marked := len(b.Approve)+len(b.Rank) > 0
		if ve, ok := errors.AsType[*model.ValidationError](err); ok {
			// Shown on the ballot: only for nothing chosen, or both.
			if !errors.Is(ve, errBallotForm) || ve.Message == "" || marked != none {
				t.Fatalf("readBallot(%q) refused with %v (none %v, ballot %+v)", body, err, none, b)
			}
			return
		}
		if err != nil {
			var he *echo.HTTPError
			if !errors.As(err, &he) || he.Code != http.StatusBadRequest {
				t.Fatalf("readBallot(%q) failed with %v, not a 400", body, err)
			}
			return
		}
		if marked == none {
			t.Fatalf("readBallot(%q) read a ballot with marks %v and none %v", body, marked, none)
		}
		if none && (len(form["none"]) != 1 || form["none"][0] != "1") {
			t.Fatalf("readBallot(%q) read none from %q", body, form["none"])
		}
		// The check may refuse the ballot, but must not panic, and the
		// resident must read why in words.
		if err := tally.Check(r.Rules(), b); err != nil && ballotProblem(err).ID == ballotProblemFallback.ID {
			t.Fatalf("readBallot(%q) gave a ballot refused without words: %v", body, err)
		}
		isCandidate := map[int64]bool{3: true, 7: true, 12: true}
		if ranked {
			if b.Approve != nil || form.Has("approve") {
				t.Fatalf("readBallot(%q) of a ranked round read a ballot with approvals %v", body, b.Approve)
			}
			for id := range b.Rank {
				if !isCandidate[id] {
					t.Fatalf("readBallot(%q) ranks %d, not a candidate", body, id)
				}
			}
			return
		}
		if b.Rank != nil {
			t.Fatalf("readBallot(%q) of an approval round gave ranks %v", body, b.Rank)
		}
		for key := range form {
			if strings.HasPrefix(key, "rank_") {
				t.Fatalf("readBallot(%q) of an approval round read a ballot beside %s", body, key)
			}
		}
		for _, id := range b.Approve {
			if !isCandidate[id] {
				t.Fatalf("readBallot(%q) approves %d, not a candidate", body, id)
			}
		}
	})
}
