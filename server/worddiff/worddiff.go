// Package worddiff compares two versions of a definition word by word, for
// the page that shows what an amendment changed.
//
// Texts are split into tokens (runs of word characters, runs of whitespace,
// and single punctuation marks or symbols) and the token sequences are
// matched with difflib's SequenceMatcher: first coarsely, a word with the
// space after it, then token by token within each replaced stretch. A token
// is never split, so a changed word always shows as a whole word deleted and
// a whole word inserted.
package worddiff

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pmezard/go-difflib/difflib"
)

// Op says which text a segment belongs to.
type Op int

const (
	Equal  Op = iota // in both texts
	Insert           // only in the new text
	Delete           // only in the old text
)

// String returns the name of the operation, for test failures and logs.
func (op Op) String() string {
	switch op {
	case Equal:
		return "Equal"
	case Insert:
		return "Insert"
	case Delete:
		return "Delete"
	}
	return "Op(" + strconv.Itoa(int(op)) + ")"
}

// Segment is a run of text that both texts share, or that only one has.
type Segment struct {
	Op   Op
	Text string
}

// Diff returns the segments that turn a into b, word by word. Concatenating the
// Equal and Delete segments gives a; Equal and Insert gives b.
//
// Adjacent segments never have the same Op, no segment is empty, and where a
// stretch of text is replaced the Delete comes before the Insert. Two empty
// texts give no segments.
//
// A few changes to texts of some thousands of words take milliseconds. For
// much longer or very repetitive texts Diff gives up some precision to stay
// fast; see opCodes.
func Diff(a, b string) []Segment {
	if a == b {
		if a == "" {
			return nil
		}
		return []Segment{{Equal, a}}
	}
	at, bt := tokenize(a), tokenize(b)
	au, ai := units(at)
	bu, bi := units(bt)

	// Units the texts share at the start and the end need no matching, and
	// an amendment usually leaves most of the text alone.
	pre, suf := 0, 0
	for pre < len(au) && pre < len(bu) && au[pre] == bu[pre] {
		pre++
	}
	for pre+suf < len(au) && pre+suf < len(bu) && au[len(au)-1-suf] == bu[len(bu)-1-suf] {
		suf++
	}
	runs := respace(at[:ai[pre]], bt[:bi[pre]])
	for _, c := range opCodes(au[pre:len(au)-suf], bu[pre:len(bu)-suf]) {
		i1, i2, j1, j2 := pre+c.I1, pre+c.I2, pre+c.J1, pre+c.J2
		ta, tb := at[ai[i1]:ai[i2]], bt[bi[j1]:bi[j2]]
		switch c.Tag {
		case 'e':
			runs = append(runs, respace(ta, tb)...)
		case 'd':
			runs = append(runs, run{Delete, ta})
		case 'i':
			runs = append(runs, run{Insert, tb})
		case 'r':
			runs = append(runs, refine(ta, tb)...)
		}
	}
	runs = append(runs, respace(at[ai[len(au)-suf]:], bt[bi[len(bu)-suf]:])...)
	runs = merge(runs)
	slide(runs)
	return join(runs)
}

// Stats counts the words in Insert and Delete segments, for a summary such as
// "12 words added, 3 removed". Whitespace and punctuation are not words, so a
// change of punctuation alone counts as nothing here; check for segments other
// than Equal to tell whether the texts differ at all.
func Stats(segs []Segment) (inserted, deleted int) {
	for _, s := range segs {
		switch s.Op {
		case Insert:
			inserted += countWords(s.Text)
		case Delete:
			deleted += countWords(s.Text)
		}
	}
	return inserted, deleted
}

// maxWork bounds the matcher's effort, as counted by work. Amendments to
// definitions of a few thousand words come well under it.
const maxWork = 200_000

// opCodes matches two token sequences.
//
// NewMatcher turns on difflib's "autojunk" heuristic, which ignores any token
// making up more than 1% of a sequence of 200 or more. In prose that is
// every "the" and "and", so long texts would match badly; it is turned off
// here. But the matcher takes time in proportion to how often the tokens of
// a recur in b, and for very long or very repetitive texts, where that would
// take seconds, autojunk is what keeps it fast; it is turned back on for them.
func opCodes(a, b []string) []difflib.OpCode {
	return difflib.NewMatcherWithJunk(a, b, work(a, b) > maxWork, nil).GetOpCodes()
}

// work counts, for each token of a, the places it occurs in b: the number
// of steps of the matcher's first search for the longest match.
func work(a, b []string) int {
	count := make(map[string]int, len(b))
	for _, s := range b {
		count[s]++
	}
	w := 0
	for _, s := range a {
		w += count[s]
	}
	return w
}

// units groups tokens for the first, coarse match: each word or punctuation
// mark together with the whitespace after it. The matcher takes time in
// proportion to how often each token recurs, and a text of n words has
// nearly n single spaces; matching "word " units instead is many times
// faster. Whitespace counts as a single space in the match, so that a
// rewrapped line matches its words and shows only its whitespace changed.
// units returns the units' keys for the matcher and the index in toks where
// each starts, with len(toks) after the last.
func units(toks []string) (keys []string, starts []int) {
	for i := 0; i < len(toks); i++ {
		start := i
		key := toks[i]
		if isSpace(key) {
			key = " "
		} else if i+1 < len(toks) && isSpace(toks[i+1]) {
			key += " "
			i++
		}
		keys = append(keys, key)
		starts = append(starts, start)
	}
	return keys, append(starts, len(toks))
}

// respace returns the runs for tokens whose units matched: they are the
// same but for whitespace, which shows as replaced where it differs.
func respace(a, b []string) []run {
	var runs []run
	start := 0
	for i := range a {
		if a[i] != b[i] {
			runs = append(runs, run{Equal, a[start:i]}, run{Delete, a[i : i+1]}, run{Insert, b[i : i+1]})
			start = i + 1
		}
	}
	return append(runs, run{Equal, a[start:]})
}

// maxRefine bounds the work of refining a replacement: past it, the old
// tokens are shown deleted and the new ones inserted without looking for the
// spaces they share.
const maxRefine = 100 * 100

// refine matches the tokens of a replaced stretch one by one, so that "cat "
// replaced by "dog " shows as "cat" replaced by "dog" and an unchanged space,
// and "cat " replaced by "cat\n" as a change of whitespace alone.
func refine(a, b []string) []run {
	if len(a)*len(b) > maxRefine {
		return []run{{Delete, a}, {Insert, b}}
	}
	var runs []run
	for _, c := range opCodes(a, b) {
		switch c.Tag {
		case 'e':
			runs = append(runs, run{Equal, a[c.I1:c.I2]})
		case 'd':
			runs = append(runs, run{Delete, a[c.I1:c.I2]})
		case 'i':
			runs = append(runs, run{Insert, b[c.J1:c.J2]})
		case 'r':
			runs = append(runs, run{Delete, a[c.I1:c.I2]}, run{Insert, b[c.J1:c.J2]})
		}
	}
	return runs
}

// merge joins adjacent runs with the same Op and drops empty ones.
func merge(runs []run) []run {
	var out []run
	for _, r := range runs {
		if len(r.toks) == 0 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].op == r.op {
			// The full slice expression makes append copy rather than
			// write into the token slice that follows.
			last := out[n-1].toks
			out[n-1].toks = append(last[:len(last):len(last)], r.toks...)
			continue
		}
		out = append(out, r)
	}
	return out
}

// run is a segment still in tokens, so its edges can be moved a token at a time.
type run struct {
	op   Op
	toks []string
}

// slide moves each lone insertion or deletion (one with unchanged text on
// both sides) to where it reads best. When a change repeats the text beside
// it, it can be shown in more than one place: "A cat. It sat." amended to "A
// cat. It was big. It sat." has either "It was big. " inserted before "It
// sat." or "was big. It " inserted after "It ". The matcher picks by
// position, not sense; slide picks the place whose edges are the strongest
// breaks in the text: lines, then sentences, then words.
func slide(runs []run) {
	for i := 1; i+1 < len(runs); i++ {
		if runs[i].op == Equal || runs[i-1].op != Equal || runs[i+1].op != Equal {
			// Unchanged text, part of a replacement, or at an edge of the
			// text, where it has nowhere to move.
			continue
		}

		// ctx is the change with the unchanged text either side of it.
		var ctx []string
		ctx = append(ctx, runs[i-1].toks...)
		start := len(ctx)
		ctx = append(ctx, runs[i].toks...)
		end := len(ctx)
		ctx = append(ctx, runs[i+1].toks...)

		// The unchanged text may only be used up where it reaches the edge
		// of the whole text; in the middle it must keep a token so that the
		// change does not run into its neighbour.
		atStart, atEnd := i == 1, i+2 == len(runs)
		minStart, maxEnd := 1, len(ctx)-1
		if atStart {
			minStart = 0
		}
		if atEnd {
			maxEnd = len(ctx)
		}
		strength := func(k int) int {
			if k == 0 && atStart || k == len(ctx) && atEnd {
				return 5
			}
			return boundary(ctx, k)
		}

		s, e := start, end
		for s > minStart && ctx[s-1] == ctx[e-1] {
			s, e = s-1, e-1
		}
		bestS, bestScore := s, -1
		for ; ; s, e = s+1, e+1 {
			if score := strength(s) + strength(e); score > bestScore {
				bestS, bestScore = s, score
			}
			if e >= maxEnd || ctx[s] != ctx[e] {
				break
			}
		}
		if bestS == start {
			continue
		}
		n := end - start
		runs[i-1].toks = ctx[:bestS]
		runs[i].toks = ctx[bestS : bestS+n]
		runs[i+1].toks = ctx[bestS+n:]
	}
}

// boundary scores the break between toks[k-1] and toks[k], for 0 < k <
// len(toks): the start of a line is the strongest, then the start of a
// sentence, the start of a word, and the end of a word.
func boundary(toks []string, k int) int {
	prev, next := toks[k-1], toks[k]
	switch {
	case isSpace(prev) && strings.Contains(prev, "\n"):
		return 4
	case isSpace(prev) && k >= 2 && endsSentence(toks[k-2]):
		return 3
	case isSpace(prev):
		return 2
	case isSpace(next):
		return 1
	}
	return 0
}

func endsSentence(tok string) bool {
	switch tok {
	case ".", "!", "?", ":", ";":
		return true
	}
	return false
}

// join turns runs back into text segments, dropping runs that slide emptied
// and merging runs with the same Op.
//
// A space between a replacement and another change is counted as changed
// too, so that "quick brown" replaced by "slow red" shows as one replacement
// rather than two with a lone unchanged space between them. Line breaks are
// left alone, so that changes to two paragraphs still show as two changes.
func join(runs []run) []Segment {
	var out []Segment
	add := func(op Op, toks []string) {
		text := strings.Join(toks, "")
		if text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += text
			return
		}
		out = append(out, Segment{op, text})
	}
	changed := func(i int) bool { return i < len(runs) && runs[i].op != Equal }
	for i := 0; i < len(runs); {
		if runs[i].op == Equal {
			add(Equal, runs[i].toks)
			i++
			continue
		}
		var del, ins []string
	stretch:
		for ; i < len(runs); i++ {
			r := runs[i]
			switch {
			case r.op == Delete:
				del = append(del, r.toks...)
			case r.op == Insert:
				ins = append(ins, r.toks...)
			case inlineSpace(r.toks) && changed(i+1) &&
				(len(del) > 0 && len(ins) > 0 || changed(i+2)):
				del = append(del, r.toks...)
				ins = append(ins, r.toks...)
			default:
				break stretch
			}
		}
		// Give back the whitespace both sides now start or end with, so
		// that "quick " replaced by "slow red " reads as "quick" replaced by
		// "slow red" and an unchanged space.
		lead, trail := 0, 0
		for lead < len(del) && lead < len(ins) && del[lead] == ins[lead] && isSpace(del[lead]) {
			lead++
		}
		for lead+trail < len(del) && lead+trail < len(ins) &&
			del[len(del)-1-trail] == ins[len(ins)-1-trail] && isSpace(del[len(del)-1-trail]) {
			trail++
		}
		add(Equal, del[:lead])
		add(Delete, del[lead:len(del)-trail])
		add(Insert, ins[lead:len(ins)-trail])
		add(Equal, del[len(del)-trail:])
	}
	return out
}

// inlineSpace reports whether toks are all whitespace within one line.
func inlineSpace(toks []string) bool {
	for _, tok := range toks {
		if !isSpace(tok) || strings.ContainsAny(tok, "\n\r\v\f\u0085\u2028\u2029") {
			return false
		}
	}
	return len(toks) > 0
}

// tokenize splits s into words, whitespace runs and single other characters.
// The tokens are substrings of s, so joining them gives s back byte for byte,
// even when s is not valid UTF-8.
func tokenize(s string) []string {
	var toks []string
	start := 0
	var prev rune = -1 // last rune of the current token, -1 at a token start
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if prev >= 0 && !continues(s[start:i], prev, r, s[i+n:]) {
			toks = append(toks, s[start:i])
			start = i
		}
		prev = r
		i += n
	}
	if start < len(s) {
		toks = append(toks, s[start:])
	}
	return toks
}

// continues reports whether r belongs to the token tok, whose last rune is
// prev; rest is the text after r.
func continues(tok string, prev, r rune, rest string) bool {
	first, _ := utf8.DecodeRuneInString(tok)
	switch {
	case unicode.IsSpace(first):
		return unicode.IsSpace(r)
	case unicode.IsMark(r) || r == zwj || isEmojiModifier(r) || prev == zwj && !unicode.IsSpace(r):
		// Accents, vowel signs and the parts of a composed emoji belong to
		// what they follow.
		return true
	case isIdeograph(first) || !isWordRune(first):
		return false
	case isWordRune(r) && !isIdeograph(r):
		return true
	case r == '\'' || r == '’' || r == '-':
		// "don't" and "well-known" are one word each; a trailing
		// apostrophe or a dash between spaces is not part of the word.
		next, _ := utf8.DecodeRuneInString(rest)
		return isWordRune(prev) && isWordRune(next) && !isIdeograph(next)
	}
	return false
}

const zwj = '\u200d' // zero width joiner, as in family emoji

// isEmojiModifier reports whether r is one of the skin tone modifiers.
func isEmojiModifier(r rune) bool { return r >= 0x1f3fb && r <= 0x1f3ff }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isIdeograph reports whether r comes from a script written without spaces
// between words, where each character is best treated as a word of its own.
func isIdeograph(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

func isSpace(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	return unicode.IsSpace(r)
}

func countWords(s string) int {
	n := 0
	for _, tok := range tokenize(s) {
		if r, _ := utf8.DecodeRuneInString(tok); isWordRune(r) {
			n++
		}
	}
	return n
}
