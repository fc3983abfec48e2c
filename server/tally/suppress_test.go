package tally

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// TestSmallGroupsNeverShow counts many random rounds of random
// neighbourhoods, mostly small ones, and checks the table by neighbourhood
// against the rule of the package comment: no published row, and no
// difference between published rows and the total, holds fewer than
// MinGroup ballots, in the ballot counts or in any candidate's column; the
// rows are right; and no row is merged that the rule does not merge.
func TestSmallGroupsNeverShow(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 4))
	names := []string{"", Other, "bermondsey", "camberwell", "dulwich", "peckham", "walworth", "borough", "nunhead"}
	for trial := range 3000 {
		cands := []int64{21, 22, 23, 24}[:2+rng.IntN(3)]
		method := Approval
		if rng.IntN(2) == 0 {
			method = Ranked
		}
		rules := Rules{Method: method, Candidates: cands}
		byGroup := map[string][]Ballot{}
		var all []Ballot
		for _, name := range names[:rng.IntN(len(names)+1)] {
			// Mostly small groups, some of them empty; now and then a big one.
			n := rng.IntN(2 * MinGroup)
			if rng.IntN(8) == 0 {
				n = rng.IntN(40)
			}
			for range n {
				b := randomBallot(rng, method, cands)
				b.Group = name
				byGroup[name] = append(byGroup[name], b)
				all = append(all, b)
			}
		}
		rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		got, err := Count(rules, all)
		if err != nil {
			t.Fatal(err)
		}
		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("trial %d (%s, groups %v): %s\ngroups %+v", trial, method, sizes(byGroup), fmt.Sprintf(format, args...), got.Groups)
		}
		if got.Groups == nil {
			fail("Groups is nil; want an empty list")
		}
		total := len(all)
		if total < MinGroup {
			if len(got.Groups) != 0 {
				fail("%d ballots in all, yet %d rows", total, len(got.Groups))
			}
			continue
		}

		// The brute check: every sum of published rows, and the total
		// less that sum, is 0 or MinGroup ballots or more, in the ballot
		// counts and in each candidate's column.
		k := len(got.Groups)
		if k > 12 {
			fail("%d rows", k)
		}
		for set := range 1 << k {
			ballots, cols := 0, make([]int, len(cands))
			for i, g := range got.Groups {
				if set&(1<<i) != 0 {
					ballots += g.Ballots
					for c, cc := range g.Candidates {
						cols[c] += cc.Count
					}
				}
			}
			if ballots > 0 && ballots < MinGroup {
				fail("rows %b hold %d ballots", set, ballots)
			}
			if rest := total - ballots; rest != 0 && rest < MinGroup {
				fail("the total less rows %b holds %d ballots", set, rest)
			}
			// The rows are the whole round, so what the total less the
			// rows says of a column is about no ballots at all.
			if set == 1<<k-1 {
				if rest := total - ballots; rest != 0 {
					fail("the rows hold %d ballots of %d", ballots, total)
				}
				for c := range cands {
					if d := got.Candidates[c].Count - cols[c]; d != 0 {
						fail("candidate %d: the total less the rows is %d", cands[c], d)
					}
				}
			}
		}

		// Rows by name, Other last, each right for its ballots.
		var merged []Ballot // the ballots Other should hold
		published := map[string]bool{}
		for i, g := range got.Groups {
			published[g.Name] = true
			if g.Name == Other {
				if i != k-1 {
					fail("other is not last")
				}
				continue
			}
			if i > 0 && got.Groups[i-1].Name >= g.Name {
				fail("rows out of order")
			}
			if want := row(t, rules, g.Name, byGroup[g.Name]); !reflect.DeepEqual(g, want) {
				fail("row %s = %+v, want %+v", g.Name, g, want)
			}
		}
		// No row merged that the rule keeps: every neighbourhood of
		// MinGroup or more has its row, but for the one smallest that an
		// Other of 1 to MinGroup-1 ballots needed.
		small := 0
		var bigMerged []string
		for name, bs := range byGroup {
			switch {
			case len(bs) == 0:
			case name == "" || name == Other || len(bs) < MinGroup:
				small += len(bs)
				merged = append(merged, bs...)
			case !published[name]:
				bigMerged = append(bigMerged, name)
				merged = append(merged, bs...)
			}
		}
		switch {
		case len(bigMerged) > 1:
			fail("%v are all merged; one would do", bigMerged)
		case len(bigMerged) == 1 && (small == 0 || small >= MinGroup):
			fail("%s is merged, though other held %d ballots", bigMerged[0], small)
		case len(bigMerged) == 0 && small > 0 && small < MinGroup:
			fail("other holds %d ballots and nothing joined it", small)
		case len(bigMerged) == 1:
			m := bigMerged[0]
			for name := range published {
				if name != Other && (len(byGroup[name]) < len(byGroup[m]) || (len(byGroup[name]) == len(byGroup[m]) && name < m)) {
					fail("%s joined other, but %s is smaller or first by name", m, name)
				}
			}
		}
		if len(merged) > 0 {
			if want := row(t, rules, Other, merged); !reflect.DeepEqual(got.Groups[k-1], want) {
				fail("other = %+v, want %+v", got.Groups[k-1], want)
			}
		} else if published[Other] {
			fail("an other row with nothing merged")
		}

		// A result counted under the old rule (small groups merged, and
		// Other shown however small) comes to the same under Suppress, and
		// Suppress leaves its own answer alone.
		if again := Suppress(oldRule(t, rules, byGroup)); !reflect.DeepEqual(again, got.Groups) {
			fail("Suppress of the old rule's rows = %+v", again)
		}
		if again := Suppress(got.Groups); !reflect.DeepEqual(again, got.Groups) {
			fail("Suppress of its own answer = %+v", again)
		}
	}
}

func randomBallot(rng *rand.Rand, m Method, cands []int64) Ballot {
	perm := rng.Perm(len(cands))[:rng.IntN(len(cands)+1)]
	if m == Approval {
		b := Ballot{Approve: []int64{}}
		for _, i := range perm {
			b.Approve = append(b.Approve, cands[i])
		}
		return b
	}
	b := Ballot{Rank: map[int64]int{}}
	for r, i := range perm {
		b.Rank[cands[i]] = r + 1
	}
	return b
}

// row is the table's row for ballots, worked out by counting them as a
// round of their own.
func row(t *testing.T, rules Rules, name string, bs []Ballot) Group {
	t.Helper()
	alone := make([]Ballot, len(bs))
	for i, b := range bs {
		b.Group = ""
		alone[i] = b
	}
	r, err := Count(rules, alone)
	if err != nil {
		t.Fatal(err)
	}
	return Group{Name: name, Ballots: len(bs), Candidates: r.Candidates}
}

// oldRule is the table as counted before the rule was made whole: groups
// under MinGroup merged into Other, and Other shown whatever its size.
func oldRule(t *testing.T, rules Rules, byGroup map[string][]Ballot) []Group {
	var out []Group
	var merged []Ballot
	for name, bs := range byGroup {
		if name == "" || name == Other || len(bs) < MinGroup {
			merged = append(merged, bs...)
		} else {
			out = append(out, row(t, rules, name, bs))
		}
	}
	slices.SortFunc(out, func(a, b Group) int { return a.Ballots - b.Ballots }) // any order will do
	if len(merged) > 0 {
		out = append(out, row(t, rules, Other, merged))
	}
	return out
}

func sizes(byGroup map[string][]Ballot) map[string]int {
	out := map[string]int{}
	for name, bs := range byGroup {
		out[name] = len(bs)
	}
	return out
}

// TestSuppressKeepsItsArgument checks that Suppress leaves the groups it
// is given as they were: the store hands it a stored result's rows.
func TestSuppressKeepsItsArgument(t *testing.T) {
	in := []Group{
		{Name: "peckham", Ballots: 5, Candidates: []CandidateCount{{1, 5, 1}, {2, 0, 0}}},
		{Name: Other, Ballots: 1, Candidates: []CandidateCount{{1, 0, 0}, {2, 1, 1}}},
	}
	before := fmt.Sprintf("%+v", in)
	out := Suppress(in)
	if after := fmt.Sprintf("%+v", in); after != before {
		t.Errorf("Suppress changed its argument:\n%s\n%s", before, after)
	}
	want := []Group{{Name: Other, Ballots: 6, Candidates: []CandidateCount{{1, 5, 5.0 / 6}, {2, 1, 1.0 / 6}}}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("Suppress = %+v, want %+v", out, want)
	}
}
