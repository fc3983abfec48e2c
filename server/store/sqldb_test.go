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
