// Package tally counts the ballots of a round: approval voting, where
// residents tick every wording that makes sense to them, and ranked voting,
// where they put those wordings in order and the Schulze method decides.
//
// It knows nothing of HTTP or SQL. A tally is a pure function of the rules
// and the ballots, so a stored result can always be checked by counting the
// stored ballots again: Count gives the same Result whatever order the
// ballots come in.
//
// # Small groups
//
// A result is published with a count by neighbourhood, and every ballot is
// published with its marks (but no neighbourhood). A row of that table that
// stood for fewer than MinGroup ballots would give those few voters' marks
// away; so would a difference, the round's total less the rows published.
// So the table keeps one rule (Suppress):
//
//   - a neighbourhood with fewer than MinGroup ballots is merged into Other;
//   - if Other then holds some ballots but fewer than MinGroup, the smallest
//     neighbourhood left (of equal ones, the first by name) joins it, which
//     brings it to MinGroup or more;
//   - a round with fewer than MinGroup ballots in all has no table.
//
// So every row stands for MinGroup ballots or more, and the rows add up to
// the total: any sum or difference of rows and the total is a union of whole
// rows, never fewer than MinGroup ballots. A row's count for each candidate
// is a count over the row's ballots, so each candidate's column keeps the
// rule too: the total less the rows is 0 in every column. What no such rule
// hides is a row where everyone agreed, just as the total shows it when the
// whole round agreed.
package tally

import (
	"fmt"
	"slices"
	"strings"
)

// Method is how a round counts ballots.
type Method string

const (
	Approval Method = "approval" // tick every wording that makes sense
	Ranked   Method = "ranked"   // order the wordings that make sense; Schulze decides
)

// Outcome says whether a round settled and, if not, why.
type Outcome string

const (
	Settled        Outcome = "settled"
	Tie            Outcome = "tie"
	NoQuorum       Outcome = "no_quorum"
	BelowThreshold Outcome = "below_threshold"
)

// Rules are fixed when a round opens.
type Rules struct {
	Method     Method
	Candidates []int64 // version ids, in the order shown on the ballot; at least 2, distinct
	Quorum     int     // fewest ballots for a result (>= 0)
	Threshold  float64 // share of ballots the winner needs, 0 to 1 inclusive
}

// Ballot is one resident's marks.
type Ballot struct {
	Group   string        // the neighbourhood the ballot was cast in (slug), for the per-neighbourhood table
	Approve []int64       // Approval: the ids ticked (any order; may be empty = "none of these makes sense")
	Rank    map[int64]int // Ranked: id -> 1 for first choice, 2 for second...; ids left out are ranked below all ranked ones; may be empty
	// Times is how many identical ballots this one stands for, so that a
	// store can count ballots grouped by their marks; 0 means 1.
	Times int
}

// CandidateCount is one candidate's count.
type CandidateCount struct {
	VersionID int64
	Count     int     // approvals (Approval) or first preferences (Ranked)
	Share     float64 // Count / ballots (0 when there are no ballots)
}

// Group is the count within one neighbourhood.
type Group struct {
	Name       string // the neighbourhood slug, or Other for the merged ones
	Ballots    int
	Candidates []CandidateCount // in Rules.Candidates order
}

// Result is a tally.
type Result struct {
	Method     Method
	Ballots    int
	Outcome    Outcome
	Winner     int64            // 0 unless Settled
	Candidates []CandidateCount // in Rules.Candidates order
	Groups     []Group          // sorted by name, Other last, merged by Suppress's rule (see the package comment); empty under MinGroup ballots
	Reason     string           // the outcome in plain words for residents

	// Ranked only; nil for Approval.

	// Ranking lists every candidate in Schulze order, winner first. It is
	// built in layers: first the candidates that no other beats (the winner,
	// or all the tied winners), then those beaten only by candidates already
	// listed, and so on. Within a layer Schulze does not separate the
	// candidates, and they keep their ballot order (Rules.Candidates), so the
	// tie-break is visible and never random.
	Ranking []int64
	// RankingGroups is Ranking in its layers: each group holds the
	// candidates Schulze does not separate, in ballot order, so a tie for
	// first place is one group of two or more.
	RankingGroups  [][]int64
	Ranked         []int   // per candidate (Rules.Candidates order): ballots that ranked it at all — the threshold's numerator for Ranked
	Pairwise       [][]int // d[i][j]: ballots preferring candidate i to j (indices in Rules.Candidates order)
	StrongestPaths [][]int // p[i][j]: Schulze strongest path strength from i to j (0 on the diagonal and where no path)
}

// MinGroup is the fewest ballots any published group of ballots may hold,
// so that few voters cannot be identified (see Suppress).
const MinGroup = 5

// Other is the name of the group that gathers small neighbourhoods and
// ballots cast without one. A ballot whose Group is literally "other" joins
// it too, so that two groups never share the name; the store keeps the
// name from new neighbourhoods.
const Other = "other"

// Count tallies ballots under rules. It returns an error if the rules or any
// ballot fail Check: CheckRules's *RulesError, or Check's *BallotError
// wrapped with the ballot's place. The count is deterministic (same input,
// same Result, whatever the ballot order).
//
// Count never changes the ballots and may be called concurrently. It makes
// one pass over them in time proportional to ballots × candidates², and
// allocates per neighbourhood, never per ballot.
func Count(rules Rules, ballots []Ballot) (Result, error) {
	if err := CheckRules(rules); err != nil {
		return Result{}, err
	}
	c := newCounter(rules)
	for i := range ballots {
		if !c.add(&ballots[i]) {
			// The fast check says no; Check says why. Should they ever
			// disagree, the ballot is still refused; the tests make sure
			// they do not.
			err := Check(rules, ballots[i])
			if err == nil {
				err = &BallotError{Problem: Malformed}
			}
			return Result{}, fmt.Errorf("ballot %d of %d: %w", i+1, len(ballots), err)
		}
	}
	return c.result(), nil
}

// counter accumulates one round's ballots.
type counter struct {
	rules Rules
	n     int // candidates
	idx   index

	ballots int
	counts  []int // per candidate: approvals or first preferences
	ranked  []int // per candidate: ballots that ranked it (Ranked)
	d       []int // n×n pairwise preferences, row-major (Ranked)

	// Groups by slot; slot 0 is Other.
	slots    map[string]int
	gBallots []int
	gCounts  []int // slot*n + candidate
	lastName string
	lastSlot int

	// Scratch space reused for every ballot.
	marked []bool // per candidate
	rank   []int  // per candidate, 0 = unranked
	taken  []bool // per rank 0..n
}

func newCounter(rules Rules) *counter {
	n := len(rules.Candidates)
	c := &counter{
		rules:    rules,
		n:        n,
		idx:      newIndex(rules.Candidates),
		counts:   make([]int, n),
		slots:    make(map[string]int),
		gBallots: make([]int, 1),
		gCounts:  make([]int, n),
		lastSlot: -1,
		marked:   make([]bool, n),
		rank:     make([]int, n),
		taken:    make([]bool, n+1),
	}
	if rules.Method == Ranked {
		c.ranked = make([]int, n)
		c.d = make([]int, n*n)
	}
	return c
}

// add counts one ballot, or reports false, counting nothing, if the ballot
// is malformed.
func (c *counter) add(b *Ballot) bool {
	if c.rules.Method == Ranked {
		return c.addRanked(b)
	}
	return c.addApproval(b)
}

func (c *counter) addApproval(b *Ballot) bool {
	if len(b.Rank) > 0 || len(b.Approve) > c.n {
		return false
	}
	clear(c.marked)
	for _, id := range b.Approve {
		i := c.idx.of(id)
		if i < 0 || c.marked[i] {
			return false
		}
		c.marked[i] = true
	}
	w := b.weight()
	c.ballots += w
	g := c.group(b.Group, w)
	for i, m := range c.marked {
		if m {
			c.counts[i] += w
			g[i] += w
		}
	}
	return true
}

// weight is how many ballots b counts for.
func (b *Ballot) weight() int {
	if b.Times > 0 {
		return b.Times
	}
	return 1
}

func (c *counter) addRanked(b *Ballot) bool {
	k := len(b.Rank)
	if len(b.Approve) > 0 || k > c.n {
		return false
	}
	// k distinct candidates with k distinct ranks, each in 1..k, are
	// exactly the ranks 1..k without gaps.
	clear(c.rank)
	clear(c.taken)
	for id, r := range b.Rank {
		i := c.idx.of(id)
		if i < 0 || r < 1 || r > k || c.taken[r] {
			return false
		}
		c.taken[r] = true
		c.rank[i] = r
	}
	w := b.weight()
	c.ballots += w
	g := c.group(b.Group, w)
	n := c.n
	for i, ri := range c.rank {
		if ri == 0 {
			continue
		}
		c.ranked[i] += w
		if ri == 1 {
			c.counts[i] += w
			g[i] += w
		}
		// A ranked candidate beats every candidate ranked after it and
		// every unranked one; two unranked candidates are equal.
		row := c.d[i*n : (i+1)*n]
		for j, rj := range c.rank {
			if rj == 0 || rj > ri {
				row[j] += w
			}
		}
	}
	return true
}

// group counts w more ballots in the named group and returns that group's
// per-candidate counts. Ballots usually arrive grouped, so the last group is
// remembered to spare a map look-up.
func (c *counter) group(name string, w int) []int {
	s := 0
	switch {
	case name == "" || name == Other:
	case c.lastSlot >= 0 && name == c.lastName:
		s = c.lastSlot
	default:
		var ok bool
		s, ok = c.slots[name]
		if !ok {
			s = len(c.gBallots)
			c.slots[name] = s
			c.gBallots = append(c.gBallots, 0)
			c.gCounts = append(c.gCounts, make([]int, c.n)...)
		}
		c.lastName, c.lastSlot = name, s
	}
	c.gBallots[s] += w
	return c.gCounts[s*c.n : (s+1)*c.n]
}

func (c *counter) result() Result {
	r := Result{
		Method:     c.rules.Method,
		Ballots:    c.ballots,
		Candidates: c.candidateCounts(c.counts, c.ballots),
		Groups:     c.groups(),
	}
	if c.rules.Method == Ranked {
		c.decideRanked(&r)
	} else {
		c.decideApproval(&r)
	}
	return r
}

func (c *counter) candidateCounts(counts []int, ballots int) []CandidateCount {
	out := make([]CandidateCount, c.n)
	for i, id := range c.rules.Candidates {
		out[i] = CandidateCount{VersionID: id, Count: counts[i], Share: share(counts[i], ballots)}
	}
	return out
}

// groups counts each neighbourhood, ballots without one in Other, and
// merges them by Suppress's rule.
func (c *counter) groups() []Group {
	all := make([]Group, 0, len(c.slots)+1)
	if c.gBallots[0] > 0 {
		all = append(all, c.slotGroup(Other, 0))
	}
	for name, s := range c.slots {
		all = append(all, c.slotGroup(name, s))
	}
	return Suppress(all)
}

// slotGroup is the Group of slot s.
func (c *counter) slotGroup(name string, s int) Group {
	return Group{Name: name, Ballots: c.gBallots[s], Candidates: c.candidateCounts(c.gCounts[s*c.n:(s+1)*c.n], c.gBallots[s])}
}

// Suppress merges groups so that none published holds fewer than MinGroup
// ballots, alone or by difference from the total (the package comment
// gives the rule and why). It takes every group of a round, whose ballots
// add up to the round's, in any order, and returns the groups to publish:
// by name, Other last, and none at all when the round has fewer than
// MinGroup ballots. Groups named Other or "" are Other; every group lists
// the same candidates in the same order. The groups given are not changed.
//
// Suppress of its own answer changes nothing, so a result counted under
// an older, weaker rule (small groups merged into Other, and Other shown
// however small) is brought under this one by Suppress alone, and then
// equals a recount.
func Suppress(groups []Group) []Group {
	total := 0
	for _, g := range groups {
		total += g.Ballots
	}
	out := []Group{}
	if total < MinGroup {
		return out
	}
	// Groups that keep their row, and what goes into Other.
	var own []Group
	var merged []Group
	for _, g := range groups {
		if g.Name == "" || g.Name == Other || g.Ballots < MinGroup {
			merged = append(merged, g)
		} else {
			own = append(own, g)
		}
	}
	otherBallots := 0
	for _, g := range merged {
		otherBallots += g.Ballots
	}
	if otherBallots > 0 && otherBallots < MinGroup {
		// Too small to show, and too small to leave out: the total less
		// the other rows would show it. The smallest row joins it (of
		// equal ones, the first by name), which brings it to MinGroup or
		// more. There is one, as the round has MinGroup ballots or more.
		smallest := 0
		for i, g := range own {
			if g.Ballots < own[smallest].Ballots || (g.Ballots == own[smallest].Ballots && g.Name < own[smallest].Name) {
				smallest = i
			}
		}
		merged = append(merged, own[smallest])
		otherBallots += own[smallest].Ballots
		own = slices.Delete(own, smallest, smallest+1)
	}
	slices.SortFunc(own, func(a, b Group) int { return strings.Compare(a.Name, b.Name) })
	out = append(out, own...)
	if otherBallots > 0 {
		out = append(out, mergeGroups(merged, otherBallots))
	}
	return out
}

// mergeGroups adds groups up into one named Other. A lone Other is kept as
// it is, so that Suppress leaves its own answer alone.
func mergeGroups(gs []Group, ballots int) Group {
	if len(gs) == 1 && gs[0].Name == Other {
		return gs[0]
	}
	cs := make([]CandidateCount, len(gs[0].Candidates))
	for _, g := range gs {
		for i, c := range g.Candidates {
			cs[i].VersionID = c.VersionID
			cs[i].Count += c.Count
		}
	}
	for i := range cs {
		cs[i].Share = share(cs[i].Count, ballots)
	}
	return Group{Name: Other, Ballots: ballots, Candidates: cs}
}

func (c *counter) decideApproval(r *Result) {
	best, top := -1, []int(nil)
	for i, v := range c.counts {
		switch {
		case v > best:
			best, top = v, append(top[:0], i)
		case v == best:
			top = append(top, i)
		}
	}
	switch {
	case r.Ballots < c.rules.Quorum:
		r.Outcome, r.Reason = NoQuorum, noQuorumReason(r.Ballots, c.rules.Quorum)
	case len(top) > 1:
		r.Outcome, r.Reason = Tie, approvalTieReason(c.ids(top), best, r.Ballots)
	case meets(best, r.Ballots, c.rules.Threshold):
		r.Outcome, r.Winner = Settled, c.rules.Candidates[top[0]]
		r.Reason = approvalWonReason(r.Winner, best, r.Ballots, c.rules.Threshold)
	default:
		r.Outcome = BelowThreshold
		r.Reason = approvalBelowReason(c.rules.Candidates[top[0]], best, r.Ballots, c.rules.Threshold)
	}
}

func (c *counter) decideRanked(r *Result) {
	n := c.n
	d := make([][]int, n)
	for i := range d {
		d[i] = slices.Clone(c.d[i*n : (i+1)*n])
	}
	p := strongestPaths(d)
	layers := schulzeLayers(p)
	r.Ranked = slices.Clone(c.ranked)
	r.Pairwise = d
	r.StrongestPaths = p
	r.Ranking = make([]int64, 0, n)
	r.RankingGroups = make([][]int64, 0, len(layers))
	for _, layer := range layers {
		r.Ranking = append(r.Ranking, c.ids(layer)...)
		r.RankingGroups = append(r.RankingGroups, c.ids(layer))
	}

	winners := layers[0]
	switch {
	case r.Ballots < c.rules.Quorum:
		r.Outcome, r.Reason = NoQuorum, noQuorumReason(r.Ballots, c.rules.Quorum)
	case len(winners) > 1:
		anyRanked := slices.ContainsFunc(c.ranked, func(v int) bool { return v > 0 })
		r.Outcome, r.Reason = Tie, rankedTieReason(c.ids(winners), anyRanked, r.Ballots)
	case meets(c.ranked[winners[0]], r.Ballots, c.rules.Threshold):
		r.Outcome, r.Winner = Settled, c.rules.Candidates[winners[0]]
		r.Reason = rankedWonReason(r.Winner, c.ranked[winners[0]], r.Ballots, c.rules.Threshold)
	default:
		r.Outcome = BelowThreshold
		r.Reason = rankedBelowReason(c.rules.Candidates[winners[0]], c.ranked[winners[0]], r.Ballots, c.rules.Threshold)
	}
}

// ids turns candidate indices into version ids.
func (c *counter) ids(is []int) []int64 {
	out := make([]int64, len(is))
	for k, i := range is {
		out[k] = c.rules.Candidates[i]
	}
	return out
}

func share(count, ballots int) float64 {
	if ballots == 0 {
		return 0
	}
	return float64(count) / float64(ballots)
}

// meets reports whether count of ballots reaches the threshold share.
//
// The threshold is a float, and shares such as 0.07 or 2/3 are not exact in
// binary: 0.07*100 comes out as 7.000000000000001, which a plain comparison
// would hold against a version ticked by exactly 7 of 100 people. So the
// comparison forgives a millionth of a ballot. That is far more than the
// float error (under a ten-millionth of a ballot for up to a billion
// ballots) and far less than the smallest real shortfall for any threshold
// that is a fraction with a denominator up to 100,000 (whole or decimal
// percentages, thirds, sevenths), so for those the answer is exact: 5 of 10
// passes 50%, 2 of 3 passes 2/3, 6,666 of 10,000 does not.
func meets(count, ballots int, threshold float64) bool {
	return float64(count) >= threshold*float64(ballots)-1e-6
}

// index finds a version id's place on the ballot. A ballot paper has a few
// candidates, for which a linear scan is faster than hashing; a map takes
// over for long lists.
type index struct {
	ids []int64
	m   map[int64]int
}

const indexScanMax = 16

func newIndex(ids []int64) index {
	x := index{ids: ids}
	if len(ids) > indexScanMax {
		x.m = make(map[int64]int, len(ids))
		for i, id := range ids {
			x.m[id] = i
		}
	}
	return x
}

// of returns the place of id among the candidates, or -1.
func (x index) of(id int64) int {
	if x.m != nil {
		if i, ok := x.m[id]; ok {
			return i
		}
		return -1
	}
	for i, v := range x.ids {
		if v == id {
			return i
		}
	}
	return -1
}
