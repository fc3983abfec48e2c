package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"wordgarden/server/model"
)

// TestOtherIsNoNeighbourhood checks that no neighbourhood can take the name
// the results give to the merged row.
func TestOtherIsNoNeighbourhood(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	for _, name := range []string{"Other", " other ", "OTHER!", "“Other”"} {
		_, err := s.CreateNeighbourhood(ctx, name)
		var ve *model.ValidationError
		if !errors.As(err, &ve) || ve.Field != "name" || !strings.Contains(ve.Message, "count small neighbourhoods together as “other”") {
			t.Errorf("CreateNeighbourhood(%q): err = %v, want the reserved name refused", name, err)
		}
	}
	if ns, _ := s.Neighbourhoods(ctx); len(ns) != 0 {
		t.Errorf("a refused neighbourhood was made: %+v", ns)
	}
	// Names that only contain the word are fine.
	for _, name := range []string{"Other Side", "Rotherhithe"} {
		if _, err := s.CreateNeighbourhood(ctx, name); err != nil {
			t.Errorf("CreateNeighbourhood(%q): %v", name, err)
		}
	}
}
