package tally

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The reasons are read by residents on the results page, so they name
// versions as "version N", give whole percentages, and spell out ties.
//
// Percentages are worked out in integers. A winner's share is rounded to
// the nearest whole percent, which can never show it below the threshold.
// A share that fell short is rounded down instead, so that 49.6% of the
// vote is not shown as "50%" next to "it needed 50%".
//
// Reason is stored and published in English, and a recount must match it.
// Pages say the outcome in the reader's language from the result's facts
// (server/tally_words.go); a test there keeps its English equal to these.

func noQuorumReason(ballots, quorum int) string {
	if ballots == 0 {
		return fmt.Sprintf("No wording was agreed: nobody voted and the round needed %s.", number(quorum))
	}
	return fmt.Sprintf("No wording was agreed: only %s voted and the round needed %s.", people(ballots), number(quorum))
}

func approvalTieReason(ids []int64, ticks, ballots int) string {
	switch {
	case ballots == 0:
		return "No wording was agreed: nobody voted."
	case ticks == 0:
		return fmt.Sprintf("No wording was agreed: no version got a tick from %s.", voters(ballots))
	}
	return fmt.Sprintf("No wording was agreed: %s tied with %s each.", versions(ids), plural(ticks, "tick", "ticks"))
}

func approvalWonReason(id int64, ticks, ballots int, threshold float64) string {
	return fmt.Sprintf("Version %d won: %d%% of %s said it makes sense%s.",
		id, PercentRounded(ticks, ballots), voters(ballots), needed(threshold))
}

func approvalBelowReason(id int64, ticks, ballots int, threshold float64) string {
	return fmt.Sprintf("No wording was agreed: version %d had the most ticks, but only %d%% of %s said it makes sense and it needed %d%%.",
		id, PercentDown(ticks, ballots), voters(ballots), thresholdPercent(threshold))
}

func rankedTieReason(ids []int64, anyRanked bool, ballots int) string {
	switch {
	case ballots == 0:
		return "No wording was agreed: nobody voted."
	case !anyRanked:
		return fmt.Sprintf("No wording was agreed: no version was ranked by %s.", voters(ballots))
	}
	who := "neither came out ahead of the other"
	if len(ids) > 2 {
		who = "none came out ahead of the others"
	}
	return fmt.Sprintf("No wording was agreed: %s tied, because when the rankings were compared %s.", versions(ids), who)
}

func rankedWonReason(id int64, ranked, ballots int, threshold float64) string {
	return fmt.Sprintf("Version %d won: when the rankings were compared it came out ahead of every other version, and %d%% of %s included it in their ranking%s.",
		id, PercentRounded(ranked, ballots), voters(ballots), needed(threshold))
}

func rankedBelowReason(id int64, ranked, ballots int, threshold float64) string {
	return fmt.Sprintf("No wording was agreed: version %d came out ahead when the rankings were compared, but only %d%% of %s included it in their ranking and it needed %d%%.",
		id, PercentDown(ranked, ballots), voters(ballots), thresholdPercent(threshold))
}

// needed is the " (it needed 50%)" after a win, left out when any share
// would have done.
func needed(threshold float64) string {
	if thresholdPercent(threshold) == 0 {
		return ""
	}
	return fmt.Sprintf(" (it needed %d%%)", thresholdPercent(threshold))
}

// versions names ids for a sentence: "versions 12 and 15", "versions 12,
// 15 and 18".
func versions(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	if len(s) == 1 {
		return "version " + s[0]
	}
	return "versions " + strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func people(n int) string { return plural(n, "person", "people") }

// voters is "the 212 people who voted", or "the 1 person who voted".
func voters(n int) string { return "the " + people(n) + " who voted" }

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return number(n) + " " + many
}

// number writes a count with commas between thousands: 1,000,000.
func number(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// PercentRounded is 100·count/total to the nearest whole number, halves
// up: a winner's share. The server words results with it too, so that a
// page in any language gives the numbers Reason gives.
func PercentRounded(count, total int) int {
	if total == 0 {
		return 0
	}
	return int((200*int64(count) + int64(total)) / (2 * int64(total)))
}

// PercentDown is 100·count/total rounded down: the share of a wording that
// fell short.
func PercentDown(count, total int) int {
	if total == 0 {
		return 0
	}
	return int(100 * int64(count) / int64(total))
}

// thresholdPercent is the threshold to the nearest whole percent.
func thresholdPercent(threshold float64) int {
	return int(math.Round(threshold * 100))
}
