package tally

import "fmt"

// The errors of CheckRules, Check and Count carry the facts of what is
// wrong rather than sentences: the server words them for the resident or
// facilitator who sees them. Their Error texts are for developers and logs.

// RulesProblem is what is wrong with a round's rules.
type RulesProblem int

// The zero RulesProblem is no problem, so a RulesError left empty by
// mistake does not pass for a real one.
const (
	UnknownMethod      RulesProblem = iota + 1 // Method is neither Approval nor Ranked
	TooFewCandidates                           // fewer than 2 candidates
	BadCandidateID                             // Version is a candidate id that is not positive
	DuplicateCandidate                         // Version is a candidate more than once
	NegativeQuorum                             // Quorum < 0
	BadThreshold                               // Threshold outside 0..1, or NaN
	numRulesProblems                           // keep last: RulesProblems counts up to it
)

// RulesProblems lists every RulesProblem, so that code that words them can
// test that it words them all.
func RulesProblems() []RulesProblem {
	ps := make([]RulesProblem, 0, numRulesProblems-1)
	for p := RulesProblem(1); p < numRulesProblems; p++ {
		ps = append(ps, p)
	}
	return ps
}

// RulesError says what is wrong with rules. Only the fields its Problem
// names are set.
type RulesError struct {
	Problem RulesProblem
	Method  Method // UnknownMethod: the method given
	Version int64  // BadCandidateID, DuplicateCandidate: the candidate id
}

func (e *RulesError) Error() string {
	switch e.Problem {
	case UnknownMethod:
		return fmt.Sprintf("unknown counting method %q", e.Method)
	case TooFewCandidates:
		return "fewer than 2 candidates"
	case BadCandidateID:
		return fmt.Sprintf("candidate id %d is not positive", e.Version)
	case DuplicateCandidate:
		return fmt.Sprintf("candidate %d is listed more than once", e.Version)
	case NegativeQuorum:
		return "negative quorum"
	case BadThreshold:
		return "threshold outside 0 to 1"
	}
	return fmt.Sprintf("invalid rules (problem %d)", e.Problem)
}

// BallotProblem is what is wrong with a ballot.
type BallotProblem int

// As with RulesProblem, the zero BallotProblem is no problem.
const (
	Malformed         BallotProblem = iota + 1 // Count refused a ballot that Check passed; the tests make sure it cannot happen
	RankInApproval                             // ranks in an approval round
	ApproveInRanked                            // approvals in a ranked round
	NotACandidate                              // Version is not a candidate
	TickedTwice                                // Version is approved more than once
	TooManyRanks                               // Ranked versions are ranked, but there are only Candidates
	RankBelowOne                               // Version has Rank < 1
	RankDuplicate                              // Version and Other (after it on the ballot paper) both have Rank
	RankGap                                    // no version has Rank, though a later rank is given
	numBallotProblems                          // keep last: BallotProblems counts up to it
)

// BallotProblems lists every BallotProblem, so that code that words them
// can test that it words them all.
func BallotProblems() []BallotProblem {
	ps := make([]BallotProblem, 0, numBallotProblems-1)
	for p := BallotProblem(1); p < numBallotProblems; p++ {
		ps = append(ps, p)
	}
	return ps
}

// BallotError says what is wrong with a ballot. Only the fields its
// Problem names are set.
type BallotError struct {
	Problem    BallotProblem
	Version    int64 // NotACandidate, TickedTwice, RankBelowOne, RankDuplicate
	Other      int64 // RankDuplicate: the second version with the same rank
	Rank       int   // RankBelowOne, RankDuplicate, RankGap
	Ranked     int   // TooManyRanks: how many versions the ballot ranks
	Candidates int   // TooManyRanks: how many candidates there are
}

func (e *BallotError) Error() string {
	switch e.Problem {
	case Malformed:
		return "malformed ballot"
	case RankInApproval:
		return "ranks in an approval ballot"
	case ApproveInRanked:
		return "approvals in a ranked ballot"
	case NotACandidate:
		return fmt.Sprintf("version %d is not a candidate", e.Version)
	case TickedTwice:
		return fmt.Sprintf("version %d is approved more than once", e.Version)
	case TooManyRanks:
		return fmt.Sprintf("%d versions ranked but only %d candidates", e.Ranked, e.Candidates)
	case RankBelowOne:
		return fmt.Sprintf("version %d has rank %d, below 1", e.Version, e.Rank)
	case RankDuplicate:
		return fmt.Sprintf("versions %d and %d share rank %d", e.Version, e.Other, e.Rank)
	case RankGap:
		return fmt.Sprintf("no version has rank %d", e.Rank)
	}
	return fmt.Sprintf("invalid ballot (problem %d)", e.Problem)
}
