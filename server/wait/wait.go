// Package wait lets tests wait for something to happen rather than sleep
// for a while and hope it has: a fixed sleep is too long on a quiet
// machine and too short on a busy one.
package wait

import (
	"testing"
	"time"
)

// For polls cond every few milliseconds until it holds, and fails the
// test, naming what it waited for, if it does not within timeout.
func For(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
