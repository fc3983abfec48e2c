package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"wordgarden/server"
	"wordgarden/server/model"
)

// neighbourhood manages neighbourhoods: "neighbourhood add NAME".
func neighbourhood(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError(`the only neighbourhood command is "neighbourhood add NAME"`)
	}
	var db string
	fs := newFlags("neighbourhood add", stderr, &db)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError(`give the name as one argument: wordgarden neighbourhood add "North Peckham"`)
	}
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.CreateNeighbourhood(context.Background(), fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added neighbourhood %s (%s)\n", n.Name, n.Slug)
	return nil
}

// invites prints new invite codes for a neighbourhood, one per line and
// nothing else, so that scripts can read them.
func invites(args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("invites", stderr, &db)
	slug := fs.String("neighbourhood", "", "the neighbourhood's `SLUG`")
	count := fs.Int("count", 0, "how many codes (1 to 500)")
	expires := fs.String("expires", "", "last `DAY` the codes work, as 2027-03-31 (default: no expiry)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *slug == "" || fs.NArg() > 0 {
		return usageError("wordgarden invites --neighbourhood SLUG --count N [--expires DAY]")
	}
	var until time.Time
	if *expires != "" {
		day, err := time.Parse("2006-01-02", *expires)
		if err != nil {
			return usageError("--expires takes a date like 2027-03-31")
		}
		until = day.AddDate(0, 0, 1)
	}
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	n, err := st.NeighbourhoodBySlug(ctx, *slug)
	if errors.Is(err, model.ErrNotFound) {
		return usageError(fmt.Sprintf("there is no neighbourhood %q: add it with wordgarden neighbourhood add NAME", *slug))
	}
	if err != nil {
		return err
	}
	codes, err := st.CreateInvites(ctx, n.ID, *count, until)
	if err != nil {
		return err
	}
	for _, c := range codes {
		fmt.Fprintln(stdout, c)
	}
	return nil
}

// tallyTime is how tally gives a round's closing time, in the site's time zone.
const tallyTime = "3:04pm MST, Monday 2 January 2006"

// tallyCmd recounts a closed round from its stored ballots and says whether
// the recount equals the stored result. An open round, or one whose time
// is up but which the server has not yet counted, has no result to check,
// and it says so: tally only reads, and counting is the server's.
func tallyCmd(args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("tally", stderr, &db)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("wordgarden tally [--db PATH] ROUND_ID")
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return usageError("the round id is a number, like 3")
	}
	loc, err := server.DefaultLocation()
	if err != nil {
		return err
	}
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	r, err := st.Round(ctx, id)
	if errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("there is no round %d", id)
	}
	if err != nil {
		return err
	}
	switch {
	case r.Open():
		return fmt.Errorf("round %d is still open: it closes at %s, and can be recounted once it has closed and been counted",
			id, r.ClosesAt.In(loc).Format(tallyTime))
	case r.Counting:
		return fmt.Errorf("round %d closed at %s but is not counted yet: the server counts it within moments while it is running, "+
			"or when its results file (/rounds/%d/results.json) is asked for; start wordgarden serve, then tally again",
			id, r.ClosesAt.In(loc).Format(tallyTime), id)
	}
	stored, recount, err := st.Recount(ctx, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Round %d: %d ballots, %s. %s\n", id, recount.Ballots, recount.Outcome, recount.Reason)
	if !stored.Equal(recount) {
		return fmt.Errorf("the recount of round %d differs from the stored result", id)
	}
	fmt.Fprintln(stdout, "The recount equals the stored result.")
	return nil
}
