package model

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"wordgarden/server/tally"
)

// Round is one vote on one term.
type Round struct {
	ID           int64
	TermID       int64
	TermSlug     string
	TermTitle    string
	Method       tally.Method
	Quorum       int
	ThresholdPct int
	Lang         string // the language of its wordings: SourceLang, or a translation's
	OpenedAt     time.Time
	ClosesAt     time.Time
	ClosedAt     time.Time // zero until counted
	// Counting is set when the round was read after its closing time but
	// before its ballots were counted, which the store does within moments
	// (Store.CloseRoundsOnTime): it takes no more ballots and reads as
	// closed, and its results are yet to come.
	Counting        bool
	Outcome         tally.Outcome
	WinnerVersionID int64
	Ballots         int             // ballots cast so far
	Candidates      []Version       // in ballot order
	Neighbourhoods  []Neighbourhood // who may vote; none means everyone
	Results         *Results        // once closed
	// Cancelled is set when a facilitator cancelled the round before it
	// closed: it took no more ballots and is never counted.
	Cancelled *RoundChange
	// Changes are the round's extensions and its cancellation, oldest
	// first; only Store.Round loads them.
	Changes []RoundChange
}

// Open reports whether the round took ballots when it was read.
func (r Round) Open() bool { return r.ClosedAt.IsZero() && !r.Counting && r.Cancelled == nil }

// Closed is when the round stopped taking ballots: when it was closed or
// cancelled, or, while its ballots are being counted, its closing time.
func (r Round) Closed() time.Time {
	switch {
	case r.Cancelled != nil:
		return r.Cancelled.At
	case r.Counting:
		return r.ClosesAt
	}
	return r.ClosedAt
}

// Kinds of RoundChange.
const (
	Extend = "extend"
	Cancel = "cancel"
)

// RoundChange is a facilitator's change to an open round: its closing time
// moved later (Extend), or the round cancelled (Cancel).
type RoundChange struct {
	Kind        string
	OldClosesAt time.Time
	NewClosesAt time.Time // Extend only
	Reason      string    // required to cancel
	ByID        int64
	ByName      string
	At          time.Time
}

// MaxChangeReason is the longest reason for a change to a round, in characters.
const MaxChangeReason = 500

// ValidateExtension says what is wrong with moving a round that closes at
// closes to the closing time to, at now, or nil.
func ValidateExtension(by User, closes, to, now time.Time, reason string) error {
	switch {
	case by.Role != Facilitator:
		return Invalid("", "invalid.round_change.facilitators_only")
	case !to.After(closes):
		return Invalid("closes_at", "invalid.round_change.not_later")
	case to.After(now.Add(MaxRoundLength)):
		return Invalid("closes_at", "invalid.round.closes_late")
	}
	return validateReason(reason, false)
}

// ValidateCancellation says what is wrong with cancelling a round, or nil.
func ValidateCancellation(by User, reason string) error {
	if by.Role != Facilitator {
		return Invalid("", "invalid.round_change.facilitators_only")
	}
	return validateReason(reason, true)
}

func validateReason(reason string, required bool) error {
	switch {
	case !utf8.ValidString(reason) || strings.ContainsRune(reason, 0):
		return Invalid("reason", "invalid.round_change.reason_unreadable")
	case required && strings.TrimSpace(reason) == "":
		return Invalid("reason", "invalid.round_change.reason_empty")
	case utf8.RuneCountInString(reason) > MaxChangeReason:
		return Invalid("reason", "invalid.round_change.reason_long", "Max", MaxChangeReason)
	}
	return nil
}

// MyBallot is a resident's ballot as she sees it on her own page: the
// round, her receipt and when she last voted. Her marks stay in the store.
type MyBallot struct {
	Round   Round
	Receipt string
	CastAt  time.Time
}

// NeighbourhoodNames lists the neighbourhoods the round is limited to,
// "Peckham, Walworth", or "" when everyone may vote.
func (r Round) NeighbourhoodNames() string {
	names := make([]string, len(r.Neighbourhoods))
	for i, n := range r.Neighbourhoods {
		names[i] = n.Name
	}
	return strings.Join(names, ", ")
}

// Rules are the round's counting rules.
func (r Round) Rules() tally.Rules {
	ids := make([]int64, len(r.Candidates))
	for i, v := range r.Candidates {
		ids[i] = v.ID
	}
	return tally.Rules{Method: r.Method, Candidates: ids, Quorum: r.Quorum, Threshold: float64(r.ThresholdPct) / 100}
}

// Admits reports whether residents of a neighbourhood may vote in the round.
func (r Round) Admits(neighbourhoodID int64) bool {
	if len(r.Neighbourhoods) == 0 {
		return true
	}
	for _, n := range r.Neighbourhoods {
		if n.ID == neighbourhoodID {
			return true
		}
	}
	return false
}

// Results is a closed round's tally as it is stored and published
// (results.json). A recount builds it again from the ballots.
//
// Results stored before issue 12 lack Rules and RankingGroups, and their
// neighbourhood table may hold a row of fewer than tally.MinGroup ballots;
// they cannot change (the database keeps a closed round as it is), so the
// store merges their table again whenever it reads them (Protect), and
// compares a recount with them in their own shape (Legacy).
type Results struct {
	RoundID         int64                 `json:"round_id"`
	Method          tally.Method          `json:"method"`
	Ballots         int                   `json:"ballots"`
	Outcome         tally.Outcome         `json:"outcome"`
	WinnerVersionID *int64                `json:"winner_version_id"`
	Reason          string                `json:"reason"`
	Candidates      []ResultCandidate     `json:"candidates"`
	Neighbourhoods  []ResultNeighbourhood `json:"neighbourhoods"`
	Ranking         []int64               `json:"ranking,omitempty"`
	RankingGroups   []RankingGroup        `json:"ranking_groups,omitempty"`
	Pairwise        [][]int               `json:"pairwise,omitempty"`
	StrongestPaths  [][]int               `json:"strongest_paths,omitempty"`
	Rules           *ResultRules          `json:"rules,omitempty"`
	// Channels says how the ballots came: online and on paper, and the
	// paper sheets that did not count. Results stored before paper
	// ballots lack it.
	Channels *ResultChannels `json:"channels,omitempty"`
}

// ResultChannels counts a round's ballots by how they came. Online and
// Paper add up to Ballots; spoiled, unmatched and unreturned sheets are
// not counted.
type ResultChannels struct {
	Online     int `json:"online"`
	Paper      int `json:"paper"`
	Spoiled    int `json:"spoiled"`
	Unmatched  int `json:"unmatched"`
	Unreturned int `json:"unreturned"`
}

// ResultCandidate is one candidate's count: approvals, or first preferences.
type ResultCandidate struct {
	VersionID int64   `json:"version_id"`
	Count     int     `json:"count"`
	Share     float64 `json:"share"`
	// Ranked is, in a ranked round, how many ballots ranked it at all.
	Ranked *int `json:"ranked,omitempty"`
}

// ResultNeighbourhood is the count within a neighbourhood, or within "other",
// where neighbourhoods are merged by tally.Suppress's rule.
type ResultNeighbourhood struct {
	Neighbourhood string            `json:"neighbourhood"`
	Ballots       int               `json:"ballots"`
	Candidates    []ResultCandidate `json:"candidates"`
}

// RankingGroup is one place in a Schulze ranking: the versions the method
// does not separate. Places are numbered as in sport: two versions tied
// first are both at position 1, and the next is at 3.
type RankingGroup struct {
	Position   int     `json:"position"`
	VersionIDs []int64 `json:"version_ids"` // in ballot order
}

// ResultRules are the rules a round was counted under, published with its
// result so that anyone can count the published ballots again with
// nothing else.
type ResultRules struct {
	Method       tally.Method `json:"method"`
	Candidates   []int64      `json:"candidates"` // version ids in ballot order, which orders the versions of a tie
	Quorum       int          `json:"quorum"`
	ThresholdPct int          `json:"threshold_pct"`
	// Neighbourhoods are the slugs of the neighbourhoods whose residents
	// could vote, sorted; empty when everyone could.
	Neighbourhoods []string `json:"neighbourhoods"`
}

// Equal reports whether two results say the same in every field, as
// published: a recount must equal the stored result exactly.
func (r *Results) Equal(o *Results) bool {
	a, errA := json.Marshal(r)
	b, errB := json.Marshal(o)
	return errA == nil && errB == nil && string(a) == string(b)
}

// Legacy reports whether r was stored before results carried their rules.
func (r *Results) Legacy() bool { return r.Rules == nil }

// AsLegacy is a copy of r in the shape results were stored in before they
// carried their rules: without Rules and RankingGroups. A recount of a round
// stored in that shape is compared in it.
func (r *Results) AsLegacy() *Results {
	out := *r
	out.Rules, out.RankingGroups, out.Channels = nil, nil, nil
	return &out
}

// Protect merges the neighbourhood table by tally.Suppress's rule. A table
// counted by this version of wordgarden keeps the rule already and is left
// as it is; one stored before the rule was whole is merged as a recount
// would merge it, so that no reader ever sees a row of a few voters.
func (r *Results) Protect() {
	groups := make([]tally.Group, len(r.Neighbourhoods))
	for i, n := range r.Neighbourhoods {
		g := tally.Group{Name: n.Neighbourhood, Ballots: n.Ballots, Candidates: make([]tally.CandidateCount, len(n.Candidates))}
		for k, c := range n.Candidates {
			g.Candidates[k] = tally.CandidateCount{VersionID: c.VersionID, Count: c.Count, Share: c.Share}
		}
		groups[i] = g
	}
	r.Neighbourhoods = neighbourhoods(tally.Suppress(groups))
}

// Places is the ranking of a ranked round by place, ties together. A
// result stored before it carried them gets them from its strongest paths.
func (r *Results) Places() []RankingGroup {
	if r.RankingGroups != nil || r.Method != tally.Ranked {
		return r.RankingGroups
	}
	ids := make([]int64, len(r.Candidates))
	for i, c := range r.Candidates {
		ids[i] = c.VersionID
	}
	return rankingGroups(tally.RankingGroups(ids, r.StrongestPaths))
}

// NewResults is a round's tally as it is stored and published.
func NewResults(round Round, r tally.Result) *Results {
	rules := round.Rules()
	out := &Results{
		RoundID:        round.ID,
		Method:         r.Method,
		Ballots:        r.Ballots,
		Outcome:        r.Outcome,
		Reason:         r.Reason,
		Candidates:     candidates(r.Candidates),
		Neighbourhoods: neighbourhoods(r.Groups),
		Ranking:        r.Ranking,
		RankingGroups:  rankingGroups(r.RankingGroups),
		Pairwise:       r.Pairwise,
		StrongestPaths: r.StrongestPaths,
		Rules: &ResultRules{
			Method:         rules.Method,
			Candidates:     rules.Candidates,
			Quorum:         round.Quorum,
			ThresholdPct:   round.ThresholdPct,
			Neighbourhoods: []string{},
		},
	}
	for _, n := range round.Neighbourhoods {
		out.Rules.Neighbourhoods = append(out.Rules.Neighbourhoods, n.Slug)
	}
	slices.Sort(out.Rules.Neighbourhoods)
	if r.Winner != 0 {
		w := r.Winner
		out.WinnerVersionID = &w
	}
	if r.Method == tally.Ranked {
		for i := range out.Candidates {
			n := r.Ranked[i]
			out.Candidates[i].Ranked = &n
		}
	}
	return out
}

func neighbourhoods(gs []tally.Group) []ResultNeighbourhood {
	out := make([]ResultNeighbourhood, 0, len(gs))
	for _, g := range gs {
		out = append(out, ResultNeighbourhood{Neighbourhood: g.Name, Ballots: g.Ballots, Candidates: candidates(g.Candidates)})
	}
	return out
}

// rankingGroups numbers the layers of a ranking by place; nil stays nil,
// so that an approval result has none.
func rankingGroups(layers [][]int64) []RankingGroup {
	if layers == nil {
		return nil
	}
	out := make([]RankingGroup, 0, len(layers))
	place := 1
	for _, ids := range layers {
		out = append(out, RankingGroup{Position: place, VersionIDs: ids})
		place += len(ids)
	}
	return out
}

func candidates(cs []tally.CandidateCount) []ResultCandidate {
	out := make([]ResultCandidate, len(cs))
	for i, c := range cs {
		out[i] = ResultCandidate{VersionID: c.VersionID, Count: c.Count, Share: c.Share}
	}
	return out
}

// NewRound is what opening a round needs.
type NewRound struct {
	TermID         int64
	Candidates     []int64 // version ids, in ballot order
	Method         tally.Method
	ClosesAt       time.Time
	Quorum         int
	ThresholdPct   int
	Neighbourhoods []int64 // none: every neighbourhood
	OpenedBy       User
	Lang           string // the language of the candidates; "" is SourceLang
}

// Language is the language of the round's wordings.
func (nr NewRound) Language() string {
	if nr.Lang == "" {
		return SourceLang
	}
	return nr.Lang
}

// MaxRoundLength is the longest a round may stay open.
const MaxRoundLength = 366 * 24 * time.Hour

// Validate says what is wrong with a new round opened at now, or nil.
func (nr NewRound) Validate(now time.Time) error {
	switch {
	case nr.OpenedBy.Role != Facilitator:
		return Invalid("", "invalid.round.facilitators_only")
	case len(nr.Candidates) < 2:
		return Invalid("candidate", "invalid.round.too_few")
	case nr.Method != tally.Approval && nr.Method != tally.Ranked:
		return Invalid("method", "invalid.round.method")
	case !nr.ClosesAt.After(now.Add(time.Minute)):
		return Invalid("closes_at", "invalid.round.closes_past")
	case nr.ClosesAt.After(now.Add(MaxRoundLength)):
		return Invalid("closes_at", "invalid.round.closes_late")
	case nr.Quorum < 0 || nr.Quorum > 1_000_000:
		return Invalid("quorum", "invalid.round.quorum")
	case nr.ThresholdPct < 0 || nr.ThresholdPct > 100:
		return Invalid("threshold", "invalid.round.threshold")
	}
	seen := map[int64]bool{}
	for _, id := range nr.Candidates {
		if seen[id] {
			return Invalid("candidate", "invalid.round.candidate_twice")
		}
		seen[id] = true
	}
	if nr.Language() != SourceLang && !TranslationLang(nr.Language()) {
		return errUnknownLanguage
	}
	return nil
}

// Provenance says how a term's agreed wording was chosen.
type Provenance struct {
	RoundID        int64
	Ballots        int
	Neighbourhoods int
	Share          float64 // the winner's share
	ClosedAt       time.Time
}
