package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// The voting pages speak the reader's language: the list of votes, a
// vote's ballot and why it was refused, the flash after closing a vote and
// the results, their outcome, chart and table, all in Spanish for a reader
// who asked for it, with no English left in what they say.
func TestVotingPagesInSpanish(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	r := a.openRound("social-prescribing")
	path := "/rounds/" + strconv.FormatInt(r.ID, 10)
	first, second := r.Candidates[0].ID, r.Candidates[1].ID

	// The list, asked for in the address.
	vis := a.visitor()
	list := vis.get("/rounds?lang=es").wantStatus(t, http.StatusOK)
	wantSpanish(t, list, "main h1", "Votaciones", "Votes")
	if got := list.text(".rounds .meta"); !strings.Contains(got, "0 votos hasta ahora") || strings.Contains(got, "ballots so far") {
		t.Errorf("open vote in the list says %q", got)
	}

	// A resident's refused ballot: the tally's reason, in Spanish.
	rae := a.as(a.resident)
	rae.get(path + "?lang=es") // chooses Spanish for the visits that follow
	res := rae.post(path+"/ballot", url.Values{"approve": {strconv.FormatInt(first, 10), strconv.FormatInt(first, 10)}}).
		wantStatus(t, http.StatusUnprocessableEntity)
	wantSpanish(t, res, "#ballot-error p", "La versión "+strconv.FormatInt(first, 10)+" está marcada más de una vez.", "is ticked more than once")
	wantSpanish(t, res, "#ballot-error h2", "Tu voto no se ha guardado", "Your ballot was not saved")
	wantSpanish(t, res, ".rules", "Al menos 1 voto, y la redacción ganadora tiene que tener sentido para al menos el 50\u00a0% de quienes votan.", "At least 1 ballot")
	res = rae.post(path+"/ballot", url.Values{}).wantStatus(t, http.StatusUnprocessableEntity)
	wantSpanish(t, res, "#ballot-error p", "Marca las redacciones que tienen sentido, o elige «Ninguna tiene sentido».", "Tick the wordings")
	rae.post(path+"/ballot", url.Values{"approve": {strconv.FormatInt(second, 10)}}).wantStatus(t, http.StatusOK)
	for name, b := range map[string][]int64{"Ana": {second}, "Bea": {second, first}} {
		u := a.user(model.NewUser{Name: name, Role: model.Resident, NeighbourhoodID: a.resident.NeighbourhoodID})
		if _, err := a.store.CastBallot(ctx, r.ID, u, tallyApprove(b...)); err != nil {
			t.Fatal(err)
		}
	}

	// The facilitator closes it, reading in Spanish: the flash says how it
	// came out in Spanish, and so do the results.
	fran := a.as(a.facilitator)
	fran.get(path + "?lang=es")
	fran.post(path+"/close", nil).wantRedirect(t, path+"/results")
	results := fran.get(path+"/results").wantStatus(t, http.StatusOK)
	won := "Ganó la versión " + strconv.FormatInt(second, 10) + ": el 100\u00a0% de las 3 personas que votaron dijo que tiene sentido (hacía falta el 50\u00a0%)."
	wantSpanish(t, results, ".flash", "La votación está cerrada. "+won, "The vote is closed")
	wantSpanish(t, results, ".outcome", won, "won:")
	wantSpanish(t, results, "svg desc", "Votaron 3 personas. "+won+" Hace falta el 50\u00a0%.", "voted.")
	wantSpanish(t, results, "svg", "necesario: 50\u00a0%", "needed")
	if got := results.text(".flash"); strings.Contains(got, "won") {
		t.Errorf("flash %q has English in it", got)
	}
	// The stored reason, published and recounted, stays tally's English.
	closed, err := a.store.Round(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Version " + strconv.FormatInt(second, 10) + " won: 100% of the 3 people who voted said it makes sense (it needed 50%)."; closed.Results.Reason != want {
		t.Errorf("stored reason %q, want %q", closed.Results.Reason, want)
	}
}

// The ballots the form itself refuses are worded from the catalogue: in
// English as they always were (their Message, kept for logs), and in the
// other languages in theirs.
func TestBallotFormProblemsInTheCatalogue(t *testing.T) {
	t.Parallel()
	en, es := i18n.For(i18n.English), i18n.For(i18n.Spanish)
	for _, tt := range []struct {
		method       tally.Method
		none, marked bool
	}{
		{tally.Approval, true, true}, {tally.Approval, false, false}, {tally.Ranked, false, false},
	} {
		ve, ok := errors.AsType[*model.ValidationError](checkNone(model.Round{Method: tt.method}, tt.none, tt.marked))
		if !ok {
			t.Fatalf("%+v: no ValidationError", tt)
		}
		if got := en.T(ve.ID); got != ve.Message {
			t.Errorf("%+v: English %q, want %q", tt, got, ve.Message)
		}
		if got := es.T(ve.ID); got == ve.Message || !es.Has(ve.ID) {
			t.Errorf("%+v: Spanish %q", tt, got)
		}
	}
}

// wantSpanish checks the page is in Spanish (lang="es") and that the text
// of selector says want and not the English phrase. Spaces are compared as
// the page's text is read, no-break spaces as spaces.
func wantSpanish(t *testing.T, r *response, selector, want, english string) {
	t.Helper()
	want = strings.Join(strings.Fields(want), " ")
	if lang, _ := r.doc.Find("html").Attr("lang"); lang != "es" {
		t.Errorf("page lang = %q, want es", lang)
	}
	got := r.text(selector)
	if !strings.Contains(got, want) {
		t.Errorf("%s says %q, want %q", selector, got, want)
	}
	if strings.Contains(got, english) {
		t.Errorf("%s says %q, with the English %q", selector, got, english)
	}
}
