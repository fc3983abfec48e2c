package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/store"
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
	st, err := store.Open(db)
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
	st, err := store.Open(db)
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

// tallyCmd recounts a closed round from its stored ballots and says whether
// the recount equals the stored result.
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
	st, err := store.Open(db)
	if err != nil {
		return err
	}
	defer st.Close()
	stored, recount, err := st.Recount(context.Background(), id)
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
