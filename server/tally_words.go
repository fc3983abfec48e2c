package server

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// The tally says what is wrong with a ballot or a round's rules, and how a
// round came out, as facts; these are the words a resident or facilitator
// reads for them, from the catalogue (server/i18n/locales/tally.*.toml).

// tallyWords is a catalogue message with its placeholders, said in a language
// once the reader's is known.
type tallyWords struct {
	ID   string
	Args []any
}

func (w tallyWords) in(lz *i18n.Localizer) string { return lz.T(w.ID, w.Args...) }

// Fallbacks for an error these functions do not know, so that a person
// never reads a developer's text.
var (
	ballotProblemFallback = tallyWords{ID: "tally.ballot.fallback"}
	rulesProblemFallback  = tallyWords{ID: "tally.rules.fallback"}
)

// ballotProblem words why tally.Check refused a ballot (err is, or wraps,
// a *tally.BallotError, or the *tally.RulesError Check returns for rules no
// ballot can meet), for the resident who cast it.
func ballotProblem(err error) tallyWords {
	if _, ok := errors.AsType[*tally.RulesError](err); ok {
		return rulesProblem(err)
	}
	e, ok := errors.AsType[*tally.BallotError](err)
	if !ok {
		return ballotProblemFallback
	}
	switch e.Problem {
	case tally.Malformed:
		return tallyWords{ID: "tally.ballot.malformed"}
	case tally.RankInApproval:
		return tallyWords{ID: "tally.ballot.rank_in_approval"}
	case tally.ApproveInRanked:
		return tallyWords{ID: "tally.ballot.approve_in_ranked"}
	case tally.NotACandidate:
		return tallyWords{"tally.ballot.not_a_candidate", []any{"Version", e.Version}}
	case tally.TickedTwice:
		return tallyWords{"tally.ballot.ticked_twice", []any{"Version", e.Version}}
	case tally.TooManyRanks:
		return tallyWords{"tally.ballot.too_many_ranks", []any{"Count", e.Ranked, "Candidates", e.Candidates}}
	case tally.RankBelowOne:
		return tallyWords{"tally.ballot.rank_below_one", []any{"Version", e.Version, "Rank", e.Rank}}
	case tally.RankDuplicate:
		return tallyWords{"tally.ballot.rank_duplicate", []any{"Version", e.Version, "Other", e.Other, "Rank", e.Rank}}
	case tally.RankGap:
		return tallyWords{"tally.ballot.rank_gap", []any{"Rank", e.Rank}}
	}
	return ballotProblemFallback
}

// rulesProblem words why tally.CheckRules refused a round's rules (err is,
// or wraps, a *tally.RulesError), for the facilitator who set them.
func rulesProblem(err error) tallyWords {
	e, ok := errors.AsType[*tally.RulesError](err)
	if !ok {
		return rulesProblemFallback
	}
	switch e.Problem {
	case tally.UnknownMethod:
		// The methods are the form's values, quoted as they are sent.
		return tallyWords{"tally.rules.unknown_method", []any{"Method", strconv.Quote(string(e.Method)),
			"Approval", strconv.Quote(string(tally.Approval)), "Ranked", strconv.Quote(string(tally.Ranked))}}
	case tally.TooFewCandidates:
		return tallyWords{ID: "tally.rules.too_few_candidates"}
	case tally.BadCandidateID:
		return tallyWords{"tally.rules.bad_candidate_id", []any{"Version", e.Version}}
	case tally.DuplicateCandidate:
		return tallyWords{"tally.rules.duplicate_candidate", []any{"Version", e.Version}}
	case tally.NegativeQuorum:
		return tallyWords{ID: "tally.rules.negative_quorum"}
	case tally.BadThreshold:
		return tallyWords{ID: "tally.rules.bad_threshold"}
	}
	return rulesProblemFallback
}

// ballotRefusal is what a resident reads when the store refuses a ballot:
// the tally's facts worded by ballotProblem, or else the store's own
// message (the round has closed, or is for other neighbourhoods).
func ballotRefusal(lz *i18n.Localizer, ve *model.ValidationError) string {
	_, bad := errors.AsType[*tally.BallotError](ve.Err)
	_, badRules := errors.AsType[*tally.RulesError](ve.Err)
	if bad || badRules {
		return ballotProblem(ve.Err).in(lz)
	}
	if ve.ID != "" {
		return lz.T(ve.ID, ve.Args...)
	}
	return ve.Message
}

// outcomeWords says how a closed round came out: its result's outcome, in the
// words of the round's rules. The results keep tally's Reason in English,
// as they were counted and as a recount must find them; pages say the same
// from the facts, in the reader's language. In English the two read alike
// (TestOutcomeWordsAreTallysReason), so the percentages follow tally's
// rules: a winner's share rounded, a share that fell short rounded down.
//
// A result it cannot word from its facts (an outcome it does not know, a
// ranked count without how many ranked each wording) is said as its Reason.
func outcomeWords(lz *i18n.Localizer, r model.Round) string {
	res := r.Results
	if res == nil {
		return ""
	}
	n := res.Ballots
	ranked := res.Method == tally.Ranked
	if ranked && slices.ContainsFunc(res.Candidates, func(c model.ResultCandidate) bool { return c.Ranked == nil }) {
		// Without how many ranked each wording, a share would be
		// guessed: say what was stored.
		return res.Reason
	}
	// count is what a candidate got that the threshold is measured by:
	// ticks, or in a ranked round the ballots that ranked it at all.
	count := func(c model.ResultCandidate) int {
		if ranked {
			return *c.Ranked
		}
		return c.Count
	}
	// top is the candidates the count put first: the most ticked, or the
	// first place of the ranking.
	top := func() []model.ResultCandidate {
		var out []model.ResultCandidate
		if ranked {
			if places := res.Places(); len(places) > 0 {
				for _, c := range res.Candidates {
					if slices.Contains(places[0].VersionIDs, c.VersionID) {
						out = append(out, c)
					}
				}
			}
			return out
		}
		best := -1
		for _, c := range res.Candidates {
			switch {
			case c.Count > best:
				best, out = c.Count, []model.ResultCandidate{c}
			case c.Count == best:
				out = append(out, c)
			}
		}
		return out
	}
	pct := func(p int) string { return percentIn(lz, float64(p)) }
	switch res.Outcome {
	case tally.NoQuorum:
		if n == 0 {
			return lz.T("tally.outcome.no_quorum_nobody", "Quorum", lz.Number(r.Quorum))
		}
		return lz.T("tally.outcome.no_quorum", "Count", n, "Quorum", lz.Number(r.Quorum))
	case tally.Tie:
		tied := top()
		ids := make([]int64, len(tied))
		for i, c := range tied {
			ids[i] = c.VersionID
		}
		switch {
		case n == 0:
			return lz.T("tally.outcome.nobody_voted")
		case ranked && !slices.ContainsFunc(res.Candidates, func(c model.ResultCandidate) bool { return count(c) > 0 }):
			return lz.T("tally.ranked.none_ranked", "Count", n)
		case !ranked && len(tied) > 0 && tied[0].Count == 0:
			return lz.T("tally.approval.no_ticks", "Count", n)
		case len(ids) < 2:
			// Not a tie as tally finds one: say what was stored.
		case ranked && len(ids) == 2:
			return lz.T("tally.ranked.tie_two", "Versions", versionList(lz, ids))
		case ranked:
			return lz.T("tally.ranked.tie_many", "Versions", versionList(lz, ids))
		default:
			return lz.T("tally.approval.tie", "Versions", versionList(lz, ids), "Count", tied[0].Count)
		}
	case tally.Settled:
		if res.WinnerVersionID == nil {
			break
		}
		i := slices.IndexFunc(res.Candidates, func(c model.ResultCandidate) bool { return c.VersionID == *res.WinnerVersionID })
		if i < 0 {
			break
		}
		id := "tally.approval.won"
		if ranked {
			id = "tally.ranked.won"
		}
		args := []any{"Version", *res.WinnerVersionID, "Percent", pct(tally.PercentRounded(count(res.Candidates[i]), n)), "Count", n}
		if r.ThresholdPct == 0 {
			return lz.T(id, args...)
		}
		return lz.T(id+"_needed", append(args, "Needed", pct(r.ThresholdPct))...)
	case tally.BelowThreshold:
		first := top()
		if len(first) == 0 {
			break
		}
		id := "tally.approval.below"
		if ranked {
			id = "tally.ranked.below"
		}
		return lz.T(id, "Version", first[0].VersionID, "Percent", pct(tally.PercentDown(count(first[0]), n)),
			"Count", n, "Needed", pct(r.ThresholdPct))
	}
	return res.Reason
}

// versionList names two or more versions in a sentence: "versions 12 and
// 15", "versions 12, 15 and 18".
func versionList(lz *i18n.Localizer, ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	list := strings.Join(s[:len(s)-1], ", ") + lz.T("tally.and") + s[len(s)-1]
	return lz.T("tally.versions", "List", list)
}

// percentPrinters write percentages the way of each language wordgarden speaks.
var percentPrinters = sync.OnceValue(func() map[string]*message.Printer {
	m := make(map[string]*message.Printer, len(i18n.Languages))
	for _, l := range i18n.Languages {
		m[l.Code] = message.NewPrinter(language.Make(l.Code))
	}
	return m
})

// percentIn writes a percentage (62, or 66.7: at most a tenth) the
// language's way: "62%" in English, "62 %" in French, "66,7 %" in Spanish.
func percentIn(lz *i18n.Localizer, p float64) string {
	pr, ok := percentPrinters()[lz.Lang.Code]
	if !ok {
		pr = percentPrinters()[i18n.English.Code]
	}
	return pr.Sprint(number.Percent(p/100, number.MaxFractionDigits(1)))
}
