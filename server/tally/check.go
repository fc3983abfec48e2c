package tally

import "slices"

// CheckRules says what is wrong with rules (method unknown, fewer than 2
// candidates, a candidate id that is not a positive number, duplicate
// candidates, quorum < 0, threshold outside 0..1) as a *RulesError, or nil.
// Ids must be positive because a Result's Winner is 0 when there is none.
func CheckRules(rules Rules) error {
	switch rules.Method {
	case Approval, Ranked:
	default:
		return &RulesError{Problem: UnknownMethod, Method: rules.Method}
	}
	if len(rules.Candidates) < 2 {
		return &RulesError{Problem: TooFewCandidates}
	}
	seen := make(map[int64]bool, len(rules.Candidates))
	for _, id := range rules.Candidates {
		if id <= 0 {
			return &RulesError{Problem: BadCandidateID, Version: id}
		}
		if seen[id] {
			return &RulesError{Problem: DuplicateCandidate, Version: id}
		}
		seen[id] = true
	}
	if rules.Quorum < 0 {
		return &RulesError{Problem: NegativeQuorum}
	}
	if !(rules.Threshold >= 0 && rules.Threshold <= 1) { // also catches NaN
		return &RulesError{Problem: BadThreshold}
	}
	return nil
}

// Check says what is wrong with a ballot under rules as a *BallotError, or
// nil: unknown version ids, duplicate approvals, Approve used in a ranked
// round or Rank in an approval round, ranks < 1, ranks not 1..k without
// gaps or with duplicates (a malformed ranking), more ranks than
// candidates. If the rules themselves are wrong, it returns CheckRules's
// *RulesError, since no ballot can be right under them.
//
// When a ballot has several faults Check names one, and always the same
// one, so a resident who submits the same ballot twice reads the same
// message.
func Check(rules Rules, b Ballot) error {
	if err := CheckRules(rules); err != nil {
		return err
	}
	x := newIndex(rules.Candidates)
	if rules.Method == Ranked {
		return checkRanked(rules, x, b)
	}
	return checkApproval(x, b)
}

func checkApproval(x index, b Ballot) error {
	if len(b.Rank) > 0 {
		return &BallotError{Problem: RankInApproval}
	}
	for _, id := range b.Approve {
		if x.of(id) < 0 {
			return &BallotError{Problem: NotACandidate, Version: id}
		}
	}
	ticked := make(map[int64]bool, len(b.Approve))
	for _, id := range b.Approve {
		if ticked[id] {
			return &BallotError{Problem: TickedTwice, Version: id}
		}
		ticked[id] = true
	}
	return nil
}

func checkRanked(rules Rules, x index, b Ballot) error {
	if len(b.Approve) > 0 {
		return &BallotError{Problem: ApproveInRanked}
	}
	k := len(b.Rank)
	if k > len(rules.Candidates) {
		return &BallotError{Problem: TooManyRanks, Ranked: k, Candidates: len(rules.Candidates)}
	}
	ids := make([]int64, 0, k)
	for id := range b.Rank {
		ids = append(ids, id)
	}
	slices.Sort(ids) // so that the same ballot always gets the same error
	for _, id := range ids {
		if x.of(id) < 0 {
			return &BallotError{Problem: NotACandidate, Version: id}
		}
	}
	// From here on every ranked id is a candidate; go in ballot order.
	for _, id := range rules.Candidates {
		if r, ok := b.Rank[id]; ok && r < 1 {
			return &BallotError{Problem: RankBelowOne, Version: id, Rank: r}
		}
	}
	byRank := make(map[int]int64, k)
	for _, id := range rules.Candidates {
		r, ok := b.Rank[id]
		if !ok {
			continue
		}
		if other, dup := byRank[r]; dup {
			return &BallotError{Problem: RankDuplicate, Version: other, Other: id, Rank: r}
		}
		byRank[r] = id
	}
	// k distinct numbers, all at least 1: they are 1..k unless one is missing.
	for r := 1; r <= k; r++ {
		if _, ok := byRank[r]; !ok {
			return &BallotError{Problem: RankGap, Rank: r}
		}
	}
	return nil
}
