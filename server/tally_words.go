package server

import (
	"errors"
	"fmt"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// The tally says what is wrong with a ballot or a round's rules as facts;
// these are the words a resident or facilitator reads for them.

// Fallbacks for an error these functions do not know, so that a person
// never reads a developer's text.
const (
	ballotProblemFallback = "This ballot cannot be counted. Check your choices and send it again."
	rulesProblemFallback  = "These settings cannot be used for a vote. Check them and try again."
)

// ballotProblem words why tally.Check refused a ballot (err is, or wraps,
// a *tally.BallotError, or the *tally.RulesError Check returns for rules no
// ballot can meet), for the resident who cast it.
func ballotProblem(err error) string {
	if _, ok := errors.AsType[*tally.RulesError](err); ok {
		return rulesProblem(err)
	}
	e, ok := errors.AsType[*tally.BallotError](err)
	if !ok {
		return ballotProblemFallback
	}
	switch e.Problem {
	case tally.Malformed:
		return "This ballot could not be read."
	case tally.RankInApproval:
		return "This vote asks you to tick the versions that make sense, not to put them in order."
	case tally.ApproveInRanked:
		return "This vote asks you to put the versions that make sense in order, not to tick them."
	case tally.NotACandidate:
		return fmt.Sprintf("Version %d is not a choice in this vote.", e.Version)
	case tally.TickedTwice:
		return fmt.Sprintf("Version %d is ticked more than once.", e.Version)
	case tally.TooManyRanks:
		return fmt.Sprintf("This ballot ranks %d versions, but there are only %d to choose from.", e.Ranked, e.Candidates)
	case tally.RankBelowOne:
		return fmt.Sprintf("Version %d has choice number %d; number your choices from 1.", e.Version, e.Rank)
	case tally.RankDuplicate:
		return fmt.Sprintf("Versions %d and %d are both choice number %d; give each number to one version only.", e.Version, e.Other, e.Rank)
	case tally.RankGap:
		return fmt.Sprintf("No version is choice number %d; number your choices 1, 2, 3 and so on, without gaps.", e.Rank)
	}
	return ballotProblemFallback
}

// rulesProblem words why tally.CheckRules refused a round's rules (err is,
// or wraps, a *tally.RulesError), for the facilitator who set them.
func rulesProblem(err error) string {
	e, ok := errors.AsType[*tally.RulesError](err)
	if !ok {
		return rulesProblemFallback
	}
	switch e.Problem {
	case tally.UnknownMethod:
		return fmt.Sprintf("The counting method %q is not known; choose %q or %q.", e.Method, tally.Approval, tally.Ranked)
	case tally.TooFewCandidates:
		return "A vote needs at least 2 versions to choose from."
	case tally.BadCandidateID:
		return fmt.Sprintf("%d is not a version number.", e.Version)
	case tally.DuplicateCandidate:
		return fmt.Sprintf("Version %d is a choice more than once.", e.Version)
	case tally.NegativeQuorum:
		return "The quorum must be 0 or more."
	case tally.BadThreshold:
		return "The threshold must be between 0% and 100%."
	}
	return rulesProblemFallback
}

// ballotRefusal is what a resident reads when the store refuses a ballot:
// the tally's facts worded by ballotProblem, or else the store's own
// sentence (the round has closed, or is for other neighbourhoods).
func ballotRefusal(ve *model.ValidationError) string {
	_, bad := errors.AsType[*tally.BallotError](ve.Err)
	_, badRules := errors.AsType[*tally.RulesError](ve.Err)
	if bad || badRules {
		return ballotProblem(ve.Err)
	}
	return ve.Message
}
