// Package slug makes the URL names of terms from their titles.
package slug

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxLen is the longest slug Make returns, in bytes.
const MaxLen = 80

// folds spells out letters that have no decomposition into an ASCII base
// letter, so that "Straße" and "Æsir" still read sensibly in a URL.
var folds = strings.NewReplacer(
	"ß", "ss", "æ", "ae", "Æ", "ae", "œ", "oe", "Œ", "oe",
	"ø", "o", "Ø", "o", "ł", "l", "Ł", "l", "đ", "d", "Đ", "d",
	"þ", "th", "Þ", "th", "ð", "d", "Ð", "d", "&", " and ",
)

// Make returns the slug of a title: lower case, accents folded to their base
// letters, words joined by single hyphens. Letters with no ASCII form (Greek,
// Cyrillic, Bengali ...) are kept as they are, so such titles still get a
// readable slug. It returns "" when the title has no letters or digits.
func Make(title string) string {
	// Lower case, then accents off, then the folds: each step can make
	// what a later one changes ("ẞ" lowers to "ß", "Ǿ" loses its accent
	// to "ø"), and a slug must be its own slug.
	s := strings.ToLower(title)
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	if folded, _, err := transform.String(t, s); err == nil {
		s = folded
	}
	s = folds.Replace(s)
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// "Children's centre" -> "childrens-centre", not "children-s-centre".
		default:
			hyphen = true
		}
	}
	out := b.String()
	if len(out) > MaxLen {
		out = out[:MaxLen]
		for !utf8ValidEnd(out) {
			out = out[:len(out)-1]
		}
		out = strings.TrimRight(out, "-")
	}
	return out
}

// utf8ValidEnd reports whether s does not end in the middle of a character.
func utf8ValidEnd(s string) bool {
	return strings.ToValidUTF8(s, "\uFFFD") == s
}
