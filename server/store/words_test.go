package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

func TestLocalWords(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	gen := s.Generation()
	w, err := s.AddLocalWord(ctx, "  community   hub ", " community centre ", "Fran")
	if err != nil {
		t.Fatal(err)
	}
	if w.Phrase != "community hub" || w.Suggestion != "community centre" || w.ID == 0 {
		t.Errorf("added %+v, want spaces tidied", w)
	}
	if s.Generation() == gen {
		t.Error("adding a word should change the generation: pages show the check")
	}
	if _, err := s.AddLocalWord(ctx, "Agenda item", "point", "Fran"); err != nil {
		t.Fatal(err)
	}

	bad := []struct{ phrase, suggestion, field string }{
		{"", "x", "phrase"},
		{"   ", "x", "phrase"},
		{"!!", "x", "phrase"},
		{strings.Repeat("a", model.MaxPhraseLen+1), "x", "phrase"},
		{"\xff", "x", "phrase"},
		{"hub", "", "suggestion"},
		{"hub", strings.Repeat("a", model.MaxSuggestionLen+1), "suggestion"},
		{"Community HUB", "again", "phrase"}, // already there, whatever the case
	}
	for _, b := range bad {
		_, err := s.AddLocalWord(ctx, b.phrase, b.suggestion, "Fran")
		var ve *model.ValidationError
		if !errors.As(err, &ve) || ve.Field != b.field {
			t.Errorf("AddLocalWord(%q, %q) = %v, want a problem with %s", b.phrase, b.suggestion, err, b.field)
		}
	}

	ws, err := s.LocalWords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ws) != 2 || ws[0].Phrase != "Agenda item" || ws[1].Phrase != "community hub" || ws[1].AddedBy != "Fran" {
		t.Fatalf("LocalWords = %+v, want 2, A to Z", ws)
	}
	if err := s.DeleteLocalWord(ctx, w.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLocalWord(ctx, w.ID); !errors.Is(err, model.ErrNotFound) {
		t.Errorf("deleting again = %v, want ErrNotFound", err)
	}
	if ws, _ := s.LocalWords(ctx); len(ws) != 1 {
		t.Errorf("after delete: %+v", ws)
	}
}

func TestTermStates(t *testing.T) {
	t.Parallel()
	f := newVoting(t)
	ctx := context.Background()
	states := func() map[string]model.TermState {
		ts, err := f.s.TermStates(ctx)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]model.TermState{}
		for _, st := range ts {
			m[st.Slug] = st
		}
		return m
	}
	if st := states()["care-navigator"]; st.Title != "Care navigator" || st.Agreed || st.OpenRound {
		t.Errorf("new term: %+v, want no agreed wording and no round", st)
	}
	f.open(t, tally.Approval, 0, 0)
	if st := states()["care-navigator"]; !st.OpenRound {
		t.Errorf("with an open round: %+v", st)
	}
}
