package server

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// TestTallyWordsCoverEveryProblem fails when tally gains a problem that
// the server does not word, so that nobody reads the fallback for it: each
// problem has its own message in the catalogue (and so, by
// i18n.TestCataloguesComplete, in every language), which reads as a
// sentence.
func TestTallyWordsCoverEveryProblem(t *testing.T) {
	t.Parallel()
	en := i18n.For(i18n.English)
	seen := map[string]bool{}
	check := func(e error, got, fallback tallyWords) {
		t.Helper()
		said := got.in(en)
		switch {
		case got.ID == fallback.ID:
			t.Errorf("%#v (%v) has no wording", e, e)
		case !en.Has(got.ID):
			t.Errorf("%#v: the English catalogue lacks %q", e, got.ID)
		case !strings.HasSuffix(said, "."):
			t.Errorf("%#v: %q is not a sentence", e, said)
		case seen[said]:
			t.Errorf("%#v: %q words another problem too", e, said)
		}
		seen[said] = true
	}
	for _, p := range tally.BallotProblems() {
		e := &tally.BallotError{Problem: p, Version: 7, Other: 8, Rank: 2, Ranked: 4, Candidates: 3}
		check(e, ballotProblem(e), ballotProblemFallback)
	}
	for _, p := range tally.RulesProblems() {
		e := &tally.RulesError{Problem: p, Method: "borda", Version: 7}
		check(e, rulesProblem(e), rulesProblemFallback)
	}
	for _, fallback := range []tallyWords{ballotProblemFallback, rulesProblemFallback} {
		if !en.Has(fallback.ID) {
			t.Errorf("the English catalogue lacks the fallback %q", fallback.ID)
		}
	}
}

// TestTallyWords pins the English sentences, which are the ones the tally
// itself used to return, so that pages read as they did.
func TestTallyWords(t *testing.T) {
	t.Parallel()
	en := i18n.For(i18n.English)
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
		if got := ballotProblem(wrapped).in(en); got != tt.want {
			t.Errorf("ballotProblem(%v) = %q, want %q", tt.err, got, tt.want)
		}
		if _, ok := tt.err.(*tally.RulesError); ok {
			if got := rulesProblem(wrapped).in(en); got != tt.want {
				t.Errorf("rulesProblem(%v) = %q, want %q", tt.err, got, tt.want)
			}
		}
	}

	// What they do not know gets the fallback, not a developer's text.
	for _, err := range []error{nil, errors.New("disk full"), &tally.BallotError{}} {
		if got := ballotProblem(err); got.ID != ballotProblemFallback.ID {
			t.Errorf("ballotProblem(%v) = %q, want the fallback", err, got.in(en))
		}
	}
	for _, err := range []error{nil, errors.New("disk full"), &tally.RulesError{}, &tally.BallotError{Problem: tally.TickedTwice}} {
		if got := rulesProblem(err); got.ID != rulesProblemFallback.ID {
			t.Errorf("rulesProblem(%v) = %q, want the fallback", err, got.in(en))
		}
	}
	if got, want := ballotProblemFallback.in(en), "This ballot cannot be counted. Check your choices and send it again."; got != want {
		t.Errorf("ballot fallback = %q, want %q", got, want)
	}
	if got, want := rulesProblemFallback.in(en), "These settings cannot be used for a vote. Check them and try again."; got != want {
		t.Errorf("rules fallback = %q, want %q", got, want)
	}

	// A refusal that is not the tally's keeps the store's sentence.
	ve := &model.ValidationError{Err: model.ErrClosed, Message: "This vote has closed, so ballots can no longer be cast or changed."}
	if got := ballotRefusal(en, ve); got != ve.Message {
		t.Errorf("ballotRefusal(closed) = %q, want the store's message", got)
	}

	// In another language, the tally's facts are said in it.
	es := i18n.For(i18n.Spanish)
	if got, want := ballotProblem(&tally.BallotError{Problem: tally.TickedTwice, Version: 15}).in(es), "La versión 15 está marcada más de una vez."; got != want {
		t.Errorf("Spanish ticked twice = %q, want %q", got, want)
	}
}

// outcomeCase is a round to count and word: its rules and its ballots.
type outcomeCase struct {
	method    tally.Method
	ids       []int64
	quorum    int
	threshold int // percent
	ballots   []tally.Ballot
}

// result counts the case as the store does, and returns the round with
// its stored result.
func (oc outcomeCase) result(t *testing.T) model.Round {
	t.Helper()
	r := model.Round{ID: 1, Method: oc.method, Quorum: oc.quorum, ThresholdPct: oc.threshold}
	for _, id := range oc.ids {
		r.Candidates = append(r.Candidates, model.Version{ID: id})
	}
	res, err := tally.Count(r.Rules(), oc.ballots)
	if err != nil {
		t.Fatalf("%+v: %v", oc, err)
	}
	r.Results = model.NewResults(r, res)
	return r
}

// ballotsOf makes n identical ballots, as one ballot standing for n.
func ballotsOf(n int, b tally.Ballot) tally.Ballot {
	b.Times = n
	return b
}

func ranks(pairs ...int64) tally.Ballot {
	b := tally.Ballot{Rank: map[int64]int{}}
	for i := 0; i+1 < len(pairs); i += 2 {
		b.Rank[pairs[i]] = int(pairs[i+1])
	}
	return b
}

// The results page says how a round came out in the reader's language,
// from the result's facts; the stored Reason stays tally's English. In
// English the two must read exactly alike, for every kind of outcome, so
// that the wording never drifts from what is published and recounted.
func TestOutcomeWordsAreTallysReason(t *testing.T) {
	t.Parallel()
	en := i18n.For(i18n.English)
	a, b, c := int64(12), int64(15), int64(1234)
	cases := []outcomeCase{
		// No quorum: nobody, one person, many; a quorum in the thousands.
		{tally.Approval, []int64{a, b}, 3, 50, nil},
		{tally.Approval, []int64{a, b}, 3, 50, []tally.Ballot{tallyApprove(a)}},
		{tally.Ranked, []int64{a, b}, 1500, 50, []tally.Ballot{ballotsOf(1200, ranks(a, 1))}},
		// Nobody voted, and no quorum was needed.
		{tally.Approval, []int64{a, b}, 0, 50, nil},
		{tally.Ranked, []int64{a, b, c}, 0, 0, nil},
		// Nobody ticked or ranked anything: one voter, and many.
		{tally.Approval, []int64{a, b}, 0, 50, []tally.Ballot{tallyApprove()}},
		{tally.Approval, []int64{a, b}, 0, 50, []tally.Ballot{ballotsOf(2500, tallyApprove())}},
		{tally.Ranked, []int64{a, b}, 0, 50, []tally.Ballot{ranks()}},
		{tally.Ranked, []int64{a, b}, 0, 50, []tally.Ballot{ballotsOf(7, ranks())}},
		// Ties: one tick each, many ticks each, three ways; ranked two and
		// three ways.
		{tally.Approval, []int64{a, b}, 0, 50, []tally.Ballot{tallyApprove(a), tallyApprove(b)}},
		{tally.Approval, []int64{a, b, c}, 0, 50, []tally.Ballot{ballotsOf(1001, tallyApprove(a, b, c))}},
		{tally.Ranked, []int64{a, b}, 0, 50, []tally.Ballot{ranks(a, 1, b, 2), ranks(b, 1, a, 2)}},
		{tally.Ranked, []int64{a, b, c}, 0, 50, []tally.Ballot{ranks(a, 1, b, 2, c, 3), ranks(b, 1, c, 2, a, 3), ranks(c, 1, a, 2, b, 3)}},
		// Won, with and without a threshold; by one voter and by thousands.
		{tally.Approval, []int64{a, b}, 1, 50, []tally.Ballot{tallyApprove(a)}},
		{tally.Approval, []int64{a, c}, 1, 0, []tally.Ballot{ballotsOf(1999, tallyApprove(c)), tallyApprove(a)}},
		{tally.Ranked, []int64{a, b}, 0, 67, []tally.Ballot{ranks(a, 1, b, 2), ranks(a, 1), ranks(b, 1, a, 2)}},
		{tally.Ranked, []int64{a, b}, 0, 0, []tally.Ballot{ranks(b, 1)}},
		// Below the threshold: a share that rounds up to it is shown
		// rounded down (199 of 401 is 49.6%).
		{tally.Approval, []int64{a, b}, 0, 50, []tally.Ballot{ballotsOf(199, tallyApprove(a)), ballotsOf(202, tallyApprove()), tallyApprove(b)}},
		{tally.Ranked, []int64{a, b}, 0, 100, []tally.Ballot{ranks(a, 1), ranks(a, 1), ranks()}},
		{tally.Approval, []int64{a, b}, 0, 100, []tally.Ballot{tallyApprove(a), tallyApprove()}},
	}
	// And rounds of random rules and ballots, for what the table missed.
	rng := rand.New(rand.NewPCG(13, 13))
	for range 2000 {
		cases = append(cases, randomOutcomeCase(rng))
	}
	kinds := map[string]bool{}
	for _, oc := range cases {
		r := oc.result(t)
		kinds[string(r.Method)+" "+string(r.Results.Outcome)] = true
		if got, want := outcomeWords(en, r), r.Results.Reason; got != want {
			t.Errorf("%+v:\n words %q\nreason %q", oc, got, want)
		}
	}
	for _, m := range []tally.Method{tally.Approval, tally.Ranked} {
		for _, o := range []tally.Outcome{tally.Settled, tally.Tie, tally.NoQuorum, tally.BelowThreshold} {
			if !kinds[string(m)+" "+string(o)] {
				t.Errorf("no %s round came out %s", m, o)
			}
		}
	}
}

// randomOutcomeCase is a round of 2 to 4 candidates under random rules,
// with up to 8 random ballots, some standing for hundreds.
func randomOutcomeCase(rng *rand.Rand) outcomeCase {
	pool := []int64{3, 7, 12, 15, 18, 1234}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	oc := outcomeCase{method: tally.Approval, ids: pool[:2+rng.IntN(3)], quorum: rng.IntN(5), threshold: rng.IntN(101)}
	if rng.IntN(2) == 0 {
		oc.method = tally.Ranked
	}
	if rng.IntN(4) == 0 {
		oc.threshold = []int{0, 50, 100}[rng.IntN(3)]
	}
	if rng.IntN(10) == 0 {
		oc.quorum = 1000
	}
	for range rng.IntN(9) {
		var b tally.Ballot
		// Some of each kind, so that the candidates chosen are in a
		// random order and number.
		chosen := slices.Clone(oc.ids)
		rng.Shuffle(len(chosen), func(i, j int) { chosen[i], chosen[j] = chosen[j], chosen[i] })
		chosen = chosen[:rng.IntN(len(chosen)+1)]
		if oc.method == tally.Approval {
			b.Approve = chosen
		} else {
			b.Rank = map[int64]int{}
			for i, id := range chosen {
				b.Rank[id] = i + 1
			}
		}
		if rng.IntN(5) == 0 {
			b.Times = 1 + rng.IntN(700)
		}
		oc.ballots = append(oc.ballots, b)
	}
	return oc
}

// The outcome is said in the reader's language, with the language's
// numbers and percentages.
func TestOutcomeWordsInOtherLanguages(t *testing.T) {
	t.Parallel()
	won := outcomeCase{tally.Approval, []int64{12, 15}, 1, 50, []tally.Ballot{ballotsOf(1240, tallyApprove(12)), ballotsOf(760, tallyApprove())}}.result(t)
	tie := outcomeCase{tally.Approval, []int64{12, 15, 18}, 0, 50, []tally.Ballot{tallyApprove(12, 15, 18)}}.result(t)
	for _, tt := range []struct {
		lang i18n.Lang
		r    model.Round
		want string
	}{
		{i18n.English, won, "Version 12 won: 62% of the 2,000 people who voted said it makes sense (it needed 50%)."},
		{i18n.Spanish, won, "Ganó la versión 12: el 62\u00a0% de las 2.000 personas que votaron dijo que tiene sentido (hacía falta el 50\u00a0%)."},
		{i18n.Portuguese, won, "A versão 12 ganhou: 62% das 2.000 pessoas que votaram disseram que faz sentido (precisava de 50%)."},
		{i18n.French, won, "La version 12 l’emporte : 62\u00a0% des 2\u00a0000 personnes qui ont voté l’ont trouvée claire (il fallait 50\u00a0%)."},
		{i18n.Spanish, tie, "No se acordó ninguna redacción: las versiones 12, 15 y 18 empataron con 1 marca cada una."},
	} {
		if got := outcomeWords(i18n.For(tt.lang), tt.r); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.lang.Name, got, tt.want)
		}
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
