package store

import "testing"

func TestRebind(t *testing.T) {
	tests := []struct{ in, postgres string }{
		{"SELECT 1", "SELECT 1"},
		{"SELECT a FROM t WHERE b = ? AND c = ?", "SELECT a FROM t WHERE b = $1 AND c = $2"},
		{"WHERE x = ?1 OR y = ?1 LIMIT ?2", "WHERE x = $1 OR y = $1 LIMIT $2"},
		{"SELECT '?', \"a?\" FROM t WHERE b = ?", "SELECT '?', \"a?\" FROM t WHERE b = $1"},
		{"SELECT 'it''s ?' WHERE b = ?", "SELECT 'it''s ?' WHERE b = $1"},
		{"SELECT a -- why?\nFROM t WHERE b = ?", "SELECT a -- why?\nFROM t WHERE b = $1"},
		{"VALUES (?, ?, ?)", "VALUES ($1, $2, $3)"},
		{"SELECT 'unclosed ?", "SELECT 'unclosed ?"},
	}
	for _, tt := range tests {
		if got := sqlite.rebind(tt.in); got != tt.in {
			t.Errorf("SQLite: rebind(%q) = %q, want it unchanged", tt.in, got)
		}
		if got := postgres.rebind(tt.in); got != tt.postgres {
			t.Errorf("PostgreSQL: rebind(%q) = %q, want %q", tt.in, got, tt.postgres)
		}
	}
}

func TestBindReplacesNULForPostgres(t *testing.T) {
	args := []any{"a\x00b", 7, []byte("c\x00d")}
	_, got := postgres.bind("SELECT ?, ?, ?", args)
	if got[0] != "a\uFFFDb" || got[1] != 7 || string(got[2].([]byte)) != "c\x00d" {
		t.Errorf("PostgreSQL arguments = %q", got)
	}
	if args[0] != "a\x00b" {
		t.Error("bind changed its caller's arguments")
	}
	if _, got := sqlite.bind("SELECT ?", []any{"a\x00b"}); got[0] != "a\x00b" {
		t.Errorf("SQLite arguments = %q, want them as they were", got)
	}
}
