package browser_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// TestCommentJourney is "test and learn" as people would do it, with
// JavaScript on and off: a resident says on her phone how a wording went
// when she tried it; a partner replies rudely; a facilitator hides the
// reply with a reason; and when the resident opens the vote she reads the
// discussion beside the wording before she votes.
func TestCommentJourney(t *testing.T) {
	t.Run("js", func(t *testing.T) { commentJourney(t, true) })
	t.Run("nojs", func(t *testing.T) { commentJourney(t, false) })
}

func commentJourney(t *testing.T, js bool) {
	site := newSite(t)
	ctx := t.Context()
	st := site.Store
	var mode []PersonOption
	if !js {
		mode = append(mode, withoutJS())
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	org, err := st.CreateOrganisation(ctx, "Southwark Council", model.Statutory)
	must(err)
	_, err = st.CreateUser(ctx, model.NewUser{Email: "sam@southwark.example", Name: "Sam Okafor", Role: model.Partner, OrganisationID: org.ID, Password: testPassword})
	must(err)
	peckham, err := st.CreateNeighbourhood(ctx, "Peckham")
	must(err)
	_, err = st.CreateUser(ctx, model.NewUser{Name: "Rae", Role: model.Resident, NeighbourhoodID: peckham.ID, Password: testPassword})
	must(err)
	tm, err := st.Term(ctx, slug)
	must(err)
	v, err := st.CreateVersion(ctx, tm.ID, model.NewVersion{Markdown: "Services and local groups working together where you live.", Author: &site.Facilitator})
	must(err)
	r, err := st.OpenRound(ctx, model.NewRound{TermID: tm.ID, Candidates: []int64{tm.AgreedVersionID, v.ID}, Method: tally.Approval,
		ClosesAt: time.Now().Add(24 * time.Hour), ThresholdPct: 50, OpenedBy: site.Facilitator})
	must(err)
	versionPage := fmt.Sprintf("/versions/%d", v.ID)

	// The resident tries the wording at a coffee morning and says how it went.
	rae := site.newPerson(t, "resident", append([]PersonOption{phone()}, mode...)...)
	rae.SignIn("Rae", testPassword)
	rae.Open(versionPage)
	rae.Check("#kind-tried-it")
	rae.Fill("#comment-body", "We read it out at the **coffee morning**. Everyone got it, but asked who the local groups are.")
	rae.ClickAndWait(`form[aria-labelledby=new-comment] button[type=submit]`)
	wantEqual(t, "flash after commenting", rae.Text(".flash"), "Your comment is posted.")
	loc := rae.Location()
	if loc.Path != versionPage || !strings.HasPrefix(loc.Fragment, "comment-") {
		t.Fatalf("after commenting the page is %s, want %s#comment-N", loc, versionPage)
	}
	mine := "#" + loc.Fragment
	wantEqual(t, "the comment's kind", rae.Text(mine+" .badge-kind"), "tried it")
	wantEqual(t, "where the resident speaks from", rae.Text(mine+" .speaker"), "Rae, resident of Peckham")
	wantEqual(t, "the comment, as markdown", rae.Text(mine+" .wording strong"), "coffee morning")

	// A partner replies rudely, from the reply form under her comment.
	sam := site.newPerson(t, "partner", mode...)
	sam.SignIn("sam@southwark.example", testPassword)
	sam.Open(versionPage)
	sam.Click(mine + " details.comment-form > summary")
	id := strings.TrimPrefix(mine, "#comment-")
	sam.Fill("#reply-"+id+"-kind", "suggestion")
	sam.Fill("#reply-"+id+"-body", "Nobody asked what you think.")
	sam.ClickAndWait(mine + " details.comment-form button[type=submit]")
	reply := "#" + sam.Location().Fragment
	wantEqual(t, "where the partner speaks from", sam.Text(reply+" .speaker"), "Sam Okafor, Southwark Council Statutory")
	if n := sam.Count(mine + " ol.replies " + reply); n != 1 {
		t.Fatalf("the reply is not under the comment it answers (%d)", n)
	}

	// The facilitator hides the rude reply, saying why.
	fac := site.newPerson(t, "facilitator", mode...)
	fac.SignIn(site.Facilitator.Email, testPassword)
	fac.Open(versionPage)
	fac.Click(reply + " details.comment-hide > summary")
	fac.Fill("#hide-"+strings.TrimPrefix(reply, "#comment-")+"-reason", "Unkind to a resident")
	fac.ClickAndWait(reply + " details.comment-hide button[type=submit]")
	wantEqual(t, "the hidden reply", fac.Text(reply+" .comment-hidden"), "Hidden by a facilitator: Unkind to a resident")
	if strings.Contains(fac.mainText(), "Nobody asked") {
		t.Error("the hidden reply's text is still on the page")
	}

	// Before voting, the resident reads the discussion beside the wording.
	rae.Open(fmt.Sprintf("/rounds/%d", r.ID))
	cand := fmt.Sprintf("#candidate-%d", v.ID)
	wantEqual(t, "the candidate's comments, folded", rae.Text(cand+" details.candidate-comments > summary"),
		fmt.Sprintf("Comments on version %d: 1 tried it", v.ID))
	rae.Click(cand + " details.candidate-comments > summary")
	wantContains(t, "the comment beside the candidate", rae.Text(cand+" details.candidate-comments .wording"), "Everyone got it")
	wantEqual(t, "the hidden reply beside the candidate", rae.Text(cand+" details.candidate-comments .comment-hidden"), "Hidden by a facilitator: Unkind to a resident")
	rae.Screenshot("round-with-comments")
	rae.Check(fmt.Sprintf("#approve-%d", v.ID))
	rae.ClickAndWait(fmt.Sprintf(`form[action="/rounds/%d/ballot"] button[type=submit]`, r.ID))
	wantContains(t, "after voting", rae.mainText(), "Your vote is counted")
}
