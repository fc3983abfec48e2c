package store

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"
)

// BenchmarkCreateVersionParallel writes versions from many goroutines at once,
// as many partners saving at the same moment would, and reports the slowest
// write. Versions go to 100 terms. Run with: go test -tags sqlite_fts5 -bench CreateVersion -cpu 64 ./server/store/
func BenchmarkCreateVersionParallel(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	u := newPartner(b, s, "Bench", Statutory)
	var terms []int64
	for i := range 100 {
		t, _, err := s.CreateTerm(ctx, fmt.Sprintf("Bench term %d", i), NewVersion{Markdown: "First.", Author: &u})
		if err != nil {
			b.Fatal(err)
		}
		terms = append(terms, t.ID)
	}
	var mu sync.Mutex
	var waits []time.Duration
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			start := time.Now()
			_, err := s.CreateVersion(ctx, terms[i%len(terms)], NewVersion{
				Markdown: fmt.Sprintf("Services working **together** near you, take %d. See [[Carer]].", i),
				Author:   &u,
			})
			if err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			waits = append(waits, time.Since(start))
			mu.Unlock()
		}
	})
	b.StopTimer()
	sort.Slice(waits, func(i, j int) bool { return waits[i] < waits[j] })
	if n := len(waits); n > 0 {
		b.ReportMetric(float64(waits[n*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(waits[n-1].Microseconds())/1000, "max-ms")
	}
}

// BenchmarkSearch searches a glossary of 2,000 terms.
func BenchmarkSearch(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	words := []string{"care", "home", "health", "community", "group", "nurse", "council", "plan", "together", "local"}
	for i := range 2000 {
		md := fmt.Sprintf("A %s %s for %s people, with %s and %s.", words[i%10], words[(i/10)%10], words[(i/100)%10], words[(i+3)%10], words[(i+7)%10])
		if _, err := s.ImportTerm(ctx, fmt.Sprintf("Term %d %s", i, words[i%10]), "", md); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		if _, err := s.Search(ctx, words[i%10]+" "+words[(i+1)%10][:3], 50); err != nil {
			b.Fatal(err)
		}
	}
}
