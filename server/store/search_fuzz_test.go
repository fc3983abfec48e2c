package store

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"wordgarden/server/model"
)

// FuzzMatchQuery checks that whatever a person types, MatchQuery makes a
// query FTS5 accepts (tsQuery one PostgreSQL accepts): it is run against the real search index of a store
// with a few terms, directly and through Search, and must never fail. The
// query is at most 12 quoted prefix terms and is empty exactly when the
// input has no letters or digits.
func FuzzMatchQuery(f *testing.F) {
	for _, q := range []string{
		"prescrib", "social prescribing", "care navigator", `"quoted" words`, "NEAR(a b)", "a OR b AND NOT c",
		"title:care", "-care", "^care", "care*", "*", `"`, `""`, "(", ")", "{title agreed}: x", "a + b",
		"", "   ", "\x00", "\xff\xfe", "Straße café", "добро", "𞤀𞤁 adlam", "ꓐꓑ lisu", "ǅ", "١٢٣",
		"x\u0301", "\u200b", "\u00ad", "a\u0300\u0301\u0302", "ﬁ", strings.Repeat("word ", 40),
		strings.Repeat("w*", 100), "\x02mark\x03", "NOT", "AND", "OR", "NEAR", "'", "a'b", "😀 emoji",
	} {
		f.Add(q)
	}
	s := newStore(f)
	ctx := context.Background()
	p := newPartner(f, s, "Sam", model.Statutory)
	for _, title := range []string{"Social prescribing", "Care navigator", "Straße café", "Добро пожаловать"} {
		if _, _, err := s.CreateTerm(ctx, title, model.NewVersion{Markdown: "About " + title + ", in plain words.", Author: &p}); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, q string) {
		m := MatchQuery(q)
		hasWord := strings.IndexFunc(q, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
		if (m == "") == hasWord {
			t.Fatalf("MatchQuery(%q) = %q", q, m)
		}
		if n := strings.Count(m, `"*`); n > 12 {
			t.Fatalf("MatchQuery(%q) has %d terms, more than 12", q, n)
		}
		if m != "" {
			// On PostgreSQL, tsQuery makes the query instead.
			check, arg := `SELECT count(*) FROM term_search WHERE term_search MATCH ?`, m
			if s.dialect == postgres {
				check = `SELECT count(*) FROM term_search WHERE document @@ to_tsquery('simple', wg_unaccent(?))`
				arg = tsQuery(q)
			}
			var n int
			if err := s.r.QueryRowContext(ctx, check, arg).Scan(&n); err != nil {
				t.Fatalf("the query of %q, %q: %s says %v", q, arg, s.dialect, err)
			}
		}
		if _, err := s.Search(ctx, q, 10); err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
	})
}
