package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/tally"
)

// demoPassword is every demo account's password; the demo is for trying
// wordgarden out on one's own machine, never for a real site.
const demoPassword = "wordgarden demo"

// loadDemo fills a database that has only the starter glossary with a living
// example: neighbourhoods, a partner from each sector, residents, one closed
// round that settled a wording and one open round.
func loadDemo(ctx context.Context, st *store.Store, stdout io.Writer) error {
	if n, err := st.CountUsers(ctx, model.Facilitator); err != nil || n > 0 {
		if err == nil {
			fmt.Fprintln(stdout, "The database already has people in it: no demo data added.")
		}
		return err
	}
	fran, err := st.CreateUser(ctx, model.NewUser{Email: "fran@demo.example", Name: "Fran (facilitator)", Role: model.Facilitator, Password: demoPassword})
	if err != nil {
		return err
	}
	council, err := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	if err != nil {
		return err
	}
	hub, err := st.CreateOrganisation(ctx, "Peckham Community Hub", model.Voluntary)
	if err != nil {
		return err
	}
	sam, err := st.CreateUser(ctx, model.NewUser{Email: "sam@demo.example", Name: "Sam Okafor", Role: model.Partner, OrganisationID: council.ID, Password: demoPassword})
	if err != nil {
		return err
	}
	val, err := st.CreateUser(ctx, model.NewUser{Email: "val@demo.example", Name: "Val Mensah", Role: model.Partner, OrganisationID: hub.ID, Password: demoPassword})
	if err != nil {
		return err
	}

	var residents []model.User
	for _, place := range []string{"Peckham", "Camberwell", "Walworth", "Bermondsey"} {
		n, err := st.CreateNeighbourhood(ctx, place)
		if err != nil {
			return err
		}
		for i := range 6 {
			u, err := st.CreateUser(ctx, model.NewUser{Name: fmt.Sprintf("%s resident %d", place, i+1),
				Role: model.Resident, NeighbourhoodID: n.ID, Password: demoPassword})
			if err != nil {
				return err
			}
			residents = append(residents, u)
		}
	}

	// A closed round: residents chose a voluntary group's amendment.
	closed, err := demoRound(ctx, st, "care-navigator", &sam, &val,
		"A care navigator is a member of staff who **guides you** to the health and care services you need.",
		"A care navigator is someone who **helps you find your way** to the right help: health, care, housing or a local group.")
	if err != nil {
		return err
	}
	r, err := st.OpenRound(ctx, model.NewRound{TermID: closed.term, Candidates: closed.versions, Method: tally.Approval,
		ClosesAt: time.Now().Add(time.Hour), Quorum: 10, ThresholdPct: 50, OpenedBy: fran})
	if err != nil {
		return err
	}
	for i, u := range residents {
		marks := []int64{closed.versions[1]}
		if i%3 == 0 {
			marks = append(marks, closed.versions[0])
		}
		if _, err := st.CastBallot(ctx, r.ID, u, tally.Ballot{Approve: marks}); err != nil {
			return err
		}
	}
	if _, err := st.CloseRound(ctx, r.ID); err != nil {
		return err
	}

	// An open round, for trying the ballot.
	open, err := demoRound(ctx, st, "test-and-learn", &sam, &val,
		"Test and learn means we **try a new idea on a small scale**, see what happens, and change it before using it more widely.",
		"Test and learn means **trying something out together**, listening to what people say, and changing it until it works.")
	if err != nil {
		return err
	}
	r, err = st.OpenRound(ctx, model.NewRound{TermID: open.term, Candidates: open.versions, Method: tally.Ranked,
		ClosesAt: time.Now().AddDate(0, 0, 14), Quorum: 10, ThresholdPct: 50, OpenedBy: fran})
	if err != nil {
		return err
	}
	for i, u := range residents[:9] {
		rank := map[int64]int{open.versions[i%2]: 1, open.versions[(i+1)%2]: 2}
		if _, err := st.CastBallot(ctx, r.ID, u, tally.Ballot{Rank: rank}); err != nil {
			return err
		}
	}
	// Test and learn: comments on the open vote's wordings, to read
	// before voting.
	var lastComment int64
	for _, c := range []struct {
		version int64
		reply   bool // to the comment before
		kind    model.CommentKind
		by      *model.User
		text    string
	}{
		{open.versions[0], false, model.TriedIt, &residents[0], "We read this out at the **coffee morning**. People liked “small scale”, but asked what “more widely” means."},
		{open.versions[0], true, model.Suggestion, &sam, "We could say “across Southwark” instead."},
		{open.versions[1], false, model.Question, &residents[7], "Who is “together”: the council and us, or the council and the NHS?"},
		{open.versions[1], true, model.Question, &fran, "Good question. Val, could the wording say who takes part?"},
		{open.versions[1], false, model.TriedIt, &val, "We tried this wording at the hub's drop-in: most people got it at once."},
	} {
		parent := int64(0)
		if c.reply {
			parent = lastComment
		}
		cm, err := st.CreateComment(ctx, model.NewComment{VersionID: c.version, ParentID: parent, Kind: c.kind, Markdown: c.text, Author: c.by}, 0)
		if err != nil {
			return err
		}
		lastComment = cm.ID
	}

	fmt.Fprintf(stdout, `Loaded demo data. Every demo account's password is %q:
  fran@demo.example   facilitator
  sam@demo.example    partner, Southwark Council (statutory)
  val@demo.example    partner, Peckham Community Hub (voluntary)
  "Peckham resident 1" ... "Bermondsey resident 6"   residents (sign in with the name)
`, demoPassword)
	return nil
}

// demoTerm is a term with the two versions put to a vote.
type demoTerm struct {
	term     int64
	versions []int64
}

// demoRound has a statutory partner propose a wording of a starter term and
// a voluntary partner amend it.
func demoRound(ctx context.Context, st *store.Store, slug string, stat, vol *model.User, first, amended string) (demoTerm, error) {
	t, err := st.Term(ctx, slug)
	if err != nil {
		return demoTerm{}, fmt.Errorf("demo: %w", err)
	}
	a, err := st.CreateVersion(ctx, t.ID, model.NewVersion{Markdown: first, Author: stat})
	if err != nil {
		return demoTerm{}, err
	}
	b, err := st.CreateVersion(ctx, t.ID, model.NewVersion{Markdown: amended, ParentID: a.ID, Author: vol})
	if err != nil {
		return demoTerm{}, err
	}
	return demoTerm{term: t.ID, versions: []int64{a.ID, b.ID}}, nil
}
