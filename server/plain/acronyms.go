package plain

import (
	"strings"
	"unicode"
)

// acronyms returns the acronyms of text (words of two or more capitals,
// such as PCN, or PCNs) that a reader is left to guess: not spelt out where
// first used, not everyday ones (Exempt), and not terms of the glossary.
//
// Spelt out means "Primary care network (PCN)" or "PCN (primary care
// network)" the first time. Spelling out later does not help the reader who
// stumbled at the first one.
func acronyms(text string, ts []token, g Glossary) []string {
	var out []string
	seen := make(map[string]bool)
	for _, t := range ts {
		a, ok := acronym(t.text)
		if !ok || seen[a] {
			continue
		}
		seen[a] = true // only the first use counts
		if Exempt(a) || spelt(text, t) || (g != nil && g.Defines(a)) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// acronym returns w as an acronym: two or more capital letters (digits may
// follow the first), with a plural "s" or possessive dropped.
func acronym(w string) (string, bool) {
	w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
	if strings.HasSuffix(w, "s") {
		w = w[:len(w)-1]
	}
	caps := 0
	for i, r := range w {
		switch {
		case unicode.IsUpper(r):
			caps++
		case unicode.IsDigit(r) && i > 0:
		default:
			return "", false
		}
	}
	return w, caps >= 2
}

// spelt reports whether the acronym at t is spelt out where it stands: in
// brackets after its words, or followed by its words in brackets.
func spelt(text string, t token) bool {
	before := strings.TrimRight(text[:t.start], " ")
	after := text[t.end:]
	if strings.HasSuffix(before, "(") && strings.HasPrefix(after, ")") {
		// "Primary care network (PCN)": words must come before the bracket.
		return len(tokens(strings.TrimSuffix(before, "("))) > 0
	}
	rest := strings.TrimLeft(after, " ")
	if strings.HasPrefix(rest, "(") {
		inner, _, closed := strings.Cut(rest[1:], ")")
		return closed && len(tokens(inner)) >= 2
	}
	return false
}
