package tally

import (
	"errors"
	"fmt"
	"slices"
)

// Error messages are whole sentences because they are shown as they are:
// Check's to the resident who cast the ballot, CheckRules's to the
// facilitator opening the round.

// errMalformed is Count's fallback should the fast check in Count and the
// careful one in Check ever disagree; the tests make sure they do not.
var errMalformed = errors.New("This ballot could not be read.")

// CheckRules says what is wrong with rules (method unknown, fewer than 2
// candidates, a candidate id that is not a positive number, duplicate
// candidates, quorum < 0, threshold outside 0..1), or nil. Ids must be
// positive because a Result's Winner is 0 when there is none.
func CheckRules(rules Rules) error {
	switch rules.Method {
	case Approval, Ranked:
	default:
		return fmt.Errorf("The counting method %q is not known; choose %q or %q.", rules.Method, Approval, Ranked)
	}
	if len(rules.Candidates) < 2 {
		return errors.New("A vote needs at least 2 versions to choose from.")
	}
	seen := make(map[int64]bool, len(rules.Candidates))
	for _, id := range rules.Candidates {
		if id <= 0 {
			return fmt.Errorf("%d is not a version number.", id)
		}
		if seen[id] {
			return fmt.Errorf("Version %d is a choice more than once.", id)
		}
		seen[id] = true
	}
	if rules.Quorum < 0 {
		return errors.New("The quorum must be 0 or more.")
	}
	if !(rules.Threshold >= 0 && rules.Threshold <= 1) { // also catches NaN
		return errors.New("The threshold must be between 0% and 100%.")
	}
	return nil
}

// Check says what is wrong with a ballot under rules, or nil: unknown
// version ids, duplicate approvals, Approve used in a ranked round or Rank
// in an approval round, ranks < 1, ranks not 1..k without gaps or with
// duplicates (a malformed ranking), more ranks than candidates. Its error
// messages are plain words for a resident ("Version 99 is not a choice in
// this vote."). If the rules themselves are wrong, it returns CheckRules's
// error, since no ballot can be right under them.
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
		return errors.New("This vote asks you to tick the versions that make sense, not to put them in order.")
	}
	for _, id := range b.Approve {
		if x.of(id) < 0 {
			return notAChoice(id)
		}
	}
	ticked := make(map[int64]bool, len(b.Approve))
	for _, id := range b.Approve {
		if ticked[id] {
			return fmt.Errorf("Version %d is ticked more than once.", id)
		}
		ticked[id] = true
	}
	return nil
}

func checkRanked(rules Rules, x index, b Ballot) error {
	if len(b.Approve) > 0 {
		return errors.New("This vote asks you to put the versions that make sense in order, not to tick them.")
	}
	k := len(b.Rank)
	if k > len(rules.Candidates) {
		return fmt.Errorf("This ballot ranks %d versions, but there are only %d to choose from.", k, len(rules.Candidates))
	}
	ids := make([]int64, 0, k)
	for id := range b.Rank {
		ids = append(ids, id)
	}
	slices.Sort(ids) // so that the same ballot always gets the same message
	for _, id := range ids {
		if x.of(id) < 0 {
			return notAChoice(id)
		}
	}
	// From here on every ranked id is a candidate; go in ballot order.
	for _, id := range rules.Candidates {
		if r, ok := b.Rank[id]; ok && r < 1 {
			return fmt.Errorf("Version %d has choice number %d; number your choices from 1.", id, r)
		}
	}
	byRank := make(map[int]int64, k)
	for _, id := range rules.Candidates {
		r, ok := b.Rank[id]
		if !ok {
			continue
		}
		if other, dup := byRank[r]; dup {
			return fmt.Errorf("Versions %d and %d are both choice number %d; give each number to one version only.", other, id, r)
		}
		byRank[r] = id
	}
	// k distinct numbers, all at least 1: they are 1..k unless one is missing.
	for r := 1; r <= k; r++ {
		if _, ok := byRank[r]; !ok {
			return fmt.Errorf("No version is choice number %d; number your choices 1, 2, 3 and so on, without gaps.", r)
		}
	}
	return nil
}

func notAChoice(id int64) error {
	return fmt.Errorf("Version %d is not a choice in this vote.", id)
}
