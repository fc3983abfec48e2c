package tally

// The Schulze method, "winning votes" variant, as described by Markus
// Schulze ("A new monotonic, clone-independent, reversal symmetric, and
// Condorcet-consistent single-winner election method", Social Choice and
// Welfare 36, 2011) and on Wikipedia's "Schulze method" page.
//
// d[i][j] is the number of ballots that prefer candidate i to candidate j.
// The link from i to j has strength d[i][j] when d[i][j] > d[j][i] and does
// not exist otherwise. A path is as strong as its weakest link; p[i][j] is
// the strength of the strongest path from i to j, 0 if there is none.
// Candidate i beats j when p[i][j] > p[j][i]; this relation is transitive,
// so some candidate is always unbeaten.

// strongestPaths returns p for the pairwise preferences d, by the
// Floyd–Warshall widest-path algorithm in O(n³).
func strongestPaths(d [][]int) [][]int {
	n := len(d)
	p := make([][]int, n)
	for i := range p {
		p[i] = make([]int, n)
		for j := range p[i] {
			if i != j && d[i][j] > d[j][i] {
				p[i][j] = d[i][j]
			}
		}
	}
	for k := range n {
		for i := range n {
			if i == k || p[i][k] == 0 {
				continue
			}
			for j := range n {
				if j == i || j == k {
					continue
				}
				if w := min(p[i][k], p[k][j]); w > p[i][j] {
					p[i][j] = w
				}
			}
		}
	}
	return p
}

// schulzeLayers orders the candidates by the strongest paths p. The first
// layer holds the candidates no one beats: the winner, or the tied winners.
// Each later layer holds those beaten only by candidates in earlier layers.
// Candidates within a layer do not beat each other and keep ballot order.
func schulzeLayers(p [][]int) [][]int {
	n := len(p)
	left := make([]bool, n)
	for i := range left {
		left[i] = true
	}
	var layers [][]int
	for placed := 0; placed < n; {
		var layer []int
		for i := range n {
			if left[i] && !beatenAmong(p, i, left) {
				layer = append(layer, i)
			}
		}
		if layer == nil {
			// Transitivity rules this out; stop all the same rather
			// than loop for ever should p ever be inconsistent.
			for i := range n {
				if left[i] {
					layer = append(layer, i)
				}
			}
		}
		for _, i := range layer {
			left[i] = false
		}
		placed += len(layer)
		layers = append(layers, layer)
	}
	return layers
}

// beatenAmong reports whether some candidate still in play beats i.
func beatenAmong(p [][]int, i int, in []bool) bool {
	for j := range p {
		if in[j] && p[j][i] > p[i][j] {
			return true
		}
	}
	return false
}

// RankingGroups gives a ranked result's Ranking in its layers, as
// Result.RankingGroups has them, from the candidates in ballot order and
// the strongest paths between them (Result.StrongestPaths, in the same
// order). It is for results stored before they carried their groups; it
// returns nil if the paths do not fit the candidates.
func RankingGroups(candidates []int64, strongestPaths [][]int) [][]int64 {
	n := len(candidates)
	if n == 0 || len(strongestPaths) != n {
		return nil
	}
	for _, row := range strongestPaths {
		if len(row) != n {
			return nil
		}
	}
	var out [][]int64
	for _, layer := range schulzeLayers(strongestPaths) {
		ids := make([]int64, len(layer))
		for k, i := range layer {
			ids[k] = candidates[i]
		}
		out = append(out, ids)
	}
	return out
}
