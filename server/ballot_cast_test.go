package server

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// TestBallotNeedsAChoice checks, for both methods, that a ballot choosing no
// wording is stored only when the resident chose "None of these make
// sense", and that the receipt and the ballot say so; that choosing both
// is refused; and that a field of the other method is a 400. Nothing
// refused changes the stored ballot.
func TestBallotNeedsAChoice(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	approval := a.openRound("social-prescribing")
	wb, err := a.store.Term(ctx, "wellbeing")
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.store.CreateVersion(ctx, wb.ID, model.NewVersion{Markdown: "Feeling well.", Author: &a.voluntary})
	if err != nil {
		t.Fatal(err)
	}
	ranked, err := a.store.OpenRound(ctx, model.NewRound{TermID: wb.ID, Candidates: []int64{wb.AgreedVersionID, v.ID},
		Method: tally.Ranked, ClosesAt: timeNowPlusWeek(), OpenedBy: a.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	rae := a.as(a.resident)
	for _, tt := range []struct {
		round model.Round
		mark  func(id int64) url.Values // a ballot choosing the wording id
		other url.Values                // a field of the other method
		empty string                    // what an empty ballot is told
	}{
		{approval, func(id int64) url.Values { return url.Values{"approve": {strconv.FormatInt(id, 10)}} },
			url.Values{"rank_" + strconv.FormatInt(approval.Candidates[0].ID, 10): {"1"}},
			"Tick the wordings that make sense, or choose “None of these make sense”."},
		{ranked, func(id int64) url.Values { return url.Values{"rank_" + strconv.FormatInt(id, 10): {"1"}} },
			url.Values{"approve": {strconv.FormatInt(ranked.Candidates[0].ID, 10)}},
			"Put the wordings that make sense in order, or choose “None of these make sense”."},
	} {
		r := tt.round
		path := "/rounds/" + strconv.FormatInt(r.ID, 10)
		first := r.Candidates[0].ID
		t.Run(string(r.Method), func(t *testing.T) {
			// The ballot offers the choice, labelled, unticked.
			page := rae.get(path).wantStatus(t, http.StatusOK)
			none := page.doc.Find(`form[action="` + path + `/ballot"] input[type=checkbox][name=none][value="1"]`)
			if none.Length() != 1 || page.text(`label[for="`+none.AttrOr("id", "")+`"]`) != "None of these make sense" || none.Is("[checked]") {
				t.Fatalf("the ballot has no unticked “None of these make sense”: %q", page.text("fieldset.ballot"))
			}

			// Nothing chosen: refused on the ballot, nothing stored.
			res := rae.post(path+"/ballot", url.Values{}).wantStatus(t, http.StatusUnprocessableEntity)
			if got := res.text("#ballot-error p"); got != tt.empty {
				t.Errorf("empty ballot: page says %q, want %q", got, tt.empty)
			}
			if res.doc.Find(`fieldset.ballot[aria-describedby="ballot-error-message"]`).Length() != 1 {
				t.Error("the ballot is not described by the error")
			}
			if _, ok, _ := a.store.MyBallot(ctx, r, a.resident.ID); ok {
				t.Fatal("an empty ballot was stored without “None of these make sense”")
			}
			if r.Method == tally.Ranked {
				// Every menu left at "does not make sense" is as empty.
				form := url.Values{}
				for _, c := range r.Candidates {
					form.Set("rank_"+strconv.FormatInt(c.ID, 10), "")
				}
				rae.post(path+"/ballot", form).wantStatus(t, http.StatusUnprocessableEntity)
			}

			// A wording and none: refused, shown back as sent.
			both := tt.mark(first)
			both.Set("none", "1")
			res = rae.post(path+"/ballot", both).wantStatus(t, http.StatusUnprocessableEntity)
			if got := res.text("#ballot-error p"); !strings.Contains(got, "not both") {
				t.Errorf("both: page says %q", got)
			}
			if !res.doc.Find("#none").Is("[checked]") {
				t.Error("the refused ballot does not show “None of these make sense” as sent")
			}

			// A field of the other method is no ballot of ours: 400,
			// alone or with a real choice.
			res = rae.post(path+"/ballot", tt.other).wantStatus(t, http.StatusBadRequest)
			if !strings.Contains(res.body, "This vote asks you to") {
				t.Errorf("wrong method: %s", res.text("main"))
			}
			mixed := tt.mark(first)
			for k, vs := range tt.other {
				mixed[k] = vs
			}
			rae.post(path+"/ballot", mixed).wantStatus(t, http.StatusBadRequest)
			for _, bad := range []string{"0", "yes", ""} {
				rae.post(path+"/ballot", url.Values{"none": {bad}}).wantStatus(t, http.StatusBadRequest)
			}
			if _, ok, _ := a.store.MyBallot(ctx, r, a.resident.ID); ok {
				t.Fatal("a refused ballot was stored")
			}

			// None of these make sense: stored empty, and the receipt
			// says so.
			res = rae.post(path+"/ballot", url.Values{"none": {"1"}}).wantStatus(t, http.StatusOK)
			if res.text("#receipt") == "" || !strings.Contains(res.text(".my-marks"), "You said none of these make sense") {
				t.Errorf("receipt of none: %q", res.text("main"))
			}
			mine, ok, _ := a.store.MyBallot(ctx, r, a.resident.ID)
			if !ok || len(mine.Approve)+len(mine.Rank) != 0 {
				t.Fatalf("stored ballot = %+v, %v; want an empty one", mine, ok)
			}
			page = rae.get(path)
			if !page.doc.Find("#none").Is("[checked]") {
				t.Error("the ballot does not show Rae chose none")
			}

			// A change of mind to a wording: no longer none.
			res = rae.post(path+"/ballot", tt.mark(first)).wantStatus(t, http.StatusOK)
			if strings.Contains(res.text(".my-marks"), "none of these") {
				t.Errorf("receipt of a wording says none: %q", res.text(".my-marks"))
			}
			if rae.get(path).doc.Find("#none").Is("[checked]") {
				t.Error("the ballot shows none after a wording was chosen")
			}
			// And back to none, which is published as a ballot with no marks.
			rae.post(path+"/ballot", url.Values{"none": {"1"}}).wantStatus(t, http.StatusOK)
		})
	}
	if _, err := a.store.CloseRound(ctx, approval.ID); err != nil {
		t.Fatal(err)
	}
	var published []struct {
		Marks json.RawMessage `json:"marks"`
	}
	body := a.visitor().get("/rounds/"+strconv.FormatInt(approval.ID, 10)+"/ballots.json").wantStatus(t, http.StatusOK).body
	if err := json.Unmarshal([]byte(body), &published); err != nil || len(published) != 1 || string(published[0].Marks) != "[]" {
		t.Errorf("ballots.json = %s, %v; want one ballot with no marks", body, err)
	}
}

// TestBallotOfANonVoterSaysWhy checks that a resident who may not vote in a
// round and sends an empty ballot is told that, not to tick something.
func TestBallotOfANonVoterSaysWhy(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	walworth, err := a.store.CreateNeighbourhood(ctx, "Walworth")
	if err != nil {
		t.Fatal(err)
	}
	sp, err := a.store.Term(ctx, "social-prescribing")
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.store.CreateVersion(ctx, sp.ID, model.NewVersion{Markdown: "Second.", Author: &a.voluntary})
	if err != nil {
		t.Fatal(err)
	}
	r, err := a.store.OpenRound(ctx, model.NewRound{TermID: sp.ID, Candidates: []int64{sp.AgreedVersionID, v.ID},
		Method: tally.Approval, ClosesAt: timeNowPlusWeek(), Neighbourhoods: []int64{walworth.ID}, OpenedBy: a.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	res := a.as(a.resident).post("/rounds/"+strconv.FormatInt(r.ID, 10)+"/ballot", url.Values{}).wantStatus(t, http.StatusConflict)
	if got := res.text("#ballot-error p"); !strings.Contains(got, "for residents of other neighbourhoods") {
		t.Errorf("page says %q", got)
	}
}
