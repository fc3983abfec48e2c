package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// TestTallyWordsCoverEveryProblem fails when tally gains a problem that
// the server does not word, so that nobody reads the fallback for it.
func TestTallyWordsCoverEveryProblem(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	check := func(e error, got, fallback string) {
		t.Helper()
		switch {
		case got == fallback:
			t.Errorf("%#v (%v) has no wording", e, e)
		case !strings.HasSuffix(got, "."):
			t.Errorf("%#v: %q is not a sentence", e, got)
		case seen[got]:
			t.Errorf("%#v: %q words another problem too", e, got)
		}
		seen[got] = true
	}
	for _, p := range tally.BallotProblems() {
		e := &tally.BallotError{Problem: p, Version: 7, Other: 8, Rank: 2, Ranked: 4, Candidates: 3}
		check(e, ballotProblem(e), ballotProblemFallback)
	}
	for _, p := range tally.RulesProblems() {
		e := &tally.RulesError{Problem: p, Method: "borda", Version: 7}
		check(e, rulesProblem(e), rulesProblemFallback)
	}
}

// TestTallyWords pins the sentences, which are the ones the tally itself
// used to return, so that pages read as they did.
func TestTallyWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{&tally.BallotError{Problem: tally.Malformed}, "This ballot could not be read."},
		{&tally.BallotError{Problem: tally.RankInApproval}, "This vote asks you to tick the versions that make sense, not to put them in order."},
		{&tally.BallotError{Problem: tally.ApproveInRanked}, "This vote asks you to put the versions that make sense in order, not to tick them."},
		{&tally.BallotError{Problem: tally.NotACandidate, Version: 99}, "Version 99 is not a choice in this vote."},
		{&tally.BallotError{Problem: tally.TickedTwice, Version: 15}, "Version 15 is ticked more than once."},
		{&tally.BallotError{Problem: tally.TooManyRanks, Ranked: 4, Candidates: 3}, "This ballot ranks 4 versions, but there are only 3 to choose from."},
		{&tally.BallotError{Problem: tally.RankBelowOne, Version: 18, Rank: -2}, "Version 18 has choice number -2; number your choices from 1."},
		{&tally.BallotError{Problem: tally.RankDuplicate, Version: 12, Other: 18, Rank: 1}, "Versions 12 and 18 are both choice number 1; give each number to one version only."},
		{&tally.BallotError{Problem: tally.RankGap, Rank: 2}, "No version is choice number 2; number your choices 1, 2, 3 and so on, without gaps."},
		{&tally.RulesError{Problem: tally.UnknownMethod, Method: "borda"}, `The counting method "borda" is not known; choose "approval" or "ranked".`},
		{&tally.RulesError{Problem: tally.TooFewCandidates}, "A vote needs at least 2 versions to choose from."},
		{&tally.RulesError{Problem: tally.BadCandidateID, Version: -4}, "-4 is not a version number."},
		{&tally.RulesError{Problem: tally.DuplicateCandidate, Version: 1}, "Version 1 is a choice more than once."},
		{&tally.RulesError{Problem: tally.NegativeQuorum}, "The quorum must be 0 or more."},
		{&tally.RulesError{Problem: tally.BadThreshold}, "The threshold must be between 0% and 100%."},
	}
	for _, tt := range tests {
		// Wrapped, as Count and the store pass them on.
		wrapped := fmt.Errorf("ballot 2 of 2: %w", tt.err)
		if got := ballotProblem(wrapped); got != tt.want {
			t.Errorf("ballotProblem(%v) = %q, want %q", tt.err, got, tt.want)
		}
		if _, ok := tt.err.(*tally.RulesError); ok {
			if got := rulesProblem(wrapped); got != tt.want {
				t.Errorf("rulesProblem(%v) = %q, want %q", tt.err, got, tt.want)
			}
		}
	}

	// What they do not know gets the fallback, not a developer's text.
	for _, err := range []error{nil, errors.New("disk full"), &tally.BallotError{}} {
		if got := ballotProblem(err); got != ballotProblemFallback {
			t.Errorf("ballotProblem(%v) = %q, want the fallback", err, got)
		}
	}
	for _, err := range []error{nil, errors.New("disk full"), &tally.RulesError{}, &tally.BallotError{Problem: tally.TickedTwice}} {
		if got := rulesProblem(err); got != rulesProblemFallback {
			t.Errorf("rulesProblem(%v) = %q, want the fallback", err, got)
		}
	}

	// A refusal that is not the tally's keeps the store's sentence.
	ve := &model.ValidationError{Err: model.ErrClosed, Message: "This vote has closed, so ballots can no longer be cast or changed."}
	if got := ballotRefusal(ve); got != ve.Message {
		t.Errorf("ballotRefusal(closed) = %q, want the store's message", got)
	}
}

// TestRefusedBallotWords checks that a refused ballot's page says why in
// the resident's words, and with the status it always had.
func TestRefusedBallotWords(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	rae := a.as(a.resident)

	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	first := strconv.FormatInt(r.Candidates[0].ID, 10)
	res := rae.post(path+"/ballot", url.Values{"approve": {first, first}}).wantStatus(t, http.StatusUnprocessableEntity)
	if got, want := res.text("#ballot-error p"), "Version "+first+" is ticked more than once."; got != want {
		t.Errorf("ticked twice: page says %q, want %q", got, want)
	}

	tm, err := a.store.Term(ctx, "wellbeing")
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.store.CreateVersion(ctx, tm.ID, model.NewVersion{Markdown: "Feeling well.", Author: &a.voluntary})
	if err != nil {
		t.Fatal(err)
	}
	ranked, err := a.store.OpenRound(ctx, model.NewRound{TermID: tm.ID, Candidates: []int64{tm.AgreedVersionID, v.ID},
		Method: tally.Ranked, ClosesAt: timeNowPlusWeek(), Quorum: 0, ThresholdPct: 0, OpenedBy: a.facilitator})
	if err != nil {
		t.Fatal(err)
	}
	rpath := "/rounds/" + strconv.FormatInt(ranked.ID, 10)
	agreed, other := ranked.Candidates[0].ID, ranked.Candidates[1].ID
	rank := func(id int64) string { return "rank_" + strconv.FormatInt(id, 10) }
	for _, tt := range []struct {
		name string
		form url.Values
		want string
	}{
		{"two first choices", url.Values{rank(agreed): {"1"}, rank(other): {"1"}},
			fmt.Sprintf("Versions %d and %d are both choice number 1; give each number to one version only.", agreed, other)},
		{"a gap", url.Values{rank(agreed): {"1"}, rank(other): {"3"}},
			"No version is choice number 2; number your choices 1, 2, 3 and so on, without gaps."},
		{"choice 0", url.Values{rank(other): {"0"}},
			fmt.Sprintf("Version %d has choice number 0; number your choices from 1.", other)},
	} {
		res := rae.post(rpath+"/ballot", tt.form).wantStatus(t, http.StatusUnprocessableEntity)
		if got := res.text("#ballot-error p"); got != tt.want {
			t.Errorf("%s: page says %q, want %q", tt.name, got, tt.want)
		}
	}

	// The store's own refusals read as before.
	if _, err := a.store.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	res = rae.post(path+"/ballot", url.Values{"approve": {first}}).wantStatus(t, http.StatusConflict)
	if got, want := res.text("#ballot-error p"), "This vote has closed, so ballots can no longer be cast or changed."; got != want {
		t.Errorf("closed: page says %q, want %q", got, want)
	}
}
