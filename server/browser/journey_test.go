package browser_test

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
)

// TestJourney walks the README's tour in a real browser, as the people of a
// Southwark co-design exercise would: a facilitator sets up partners; a
// statutory partner proposes a wording and a voluntary partner amends it; the
// facilitator prints invite codes and opens a vote; three residents join on
// their phones and vote (one changes their mind, one uses only the
// keyboard); the facilitator closes the vote and the wording residents chose
// becomes the agreed one. It runs twice, with JavaScript on and off, each on
// a fresh site.
func TestJourney(t *testing.T) {
	t.Run("js", func(t *testing.T) { journey(t, true) })
	t.Run("nojs", func(t *testing.T) { journey(t, false) })
}

const (
	slug = "neighbourhood-working"

	statutoryWording = "Health and care services, the council and local groups work together in your area. " +
		"Your GP practice takes part through its [[Primary care network]]."
	voluntaryWording = "Health and care services, the council and local community groups work together with you in your neighbourhood. " +
		"Your GP practice takes part through its [[Primary care network]]."
)

func journey(t *testing.T, js bool) {
	start := time.Now()
	site := newSite(t)
	var mode []PersonOption
	if !js {
		mode = append(mode, withoutJS())
	}

	// 1. The facilitator signs in and adds an organisation from each sector,
	// and a partner account in each.
	fac := site.newPerson(t, "facilitator", mode...)
	fac.SignIn(site.Facilitator.Email, testPassword)
	wantContains(t, "facilitator's sign-out button", fac.Text(`form[action="/logout"] button`), "Fran Facilitator")
	fac.Open("/admin")
	addOrganisation(t, fac, "Southwark Council", "statutory", "Statutory")
	addOrganisation(t, fac, "Peckham Community Hub", "voluntary", "Voluntary & community")
	addPartner(t, fac, "Sam Okafor", "sam@southwark.example", "Southwark Council")
	addPartner(t, fac, "Val Mensah", "val@peckhamhub.example", "Peckham Community Hub")

	// 2. The statutory partner proposes a wording that links another term.
	sam := site.newPerson(t, "statutory partner", mode...)
	sam.SignIn("sam@southwark.example", testPassword)
	sam.Open("/terms/" + slug)
	sam.ClickAndWait(`a[href="/terms/` + slug + `/propose"]`)
	wantContains(t, "propose page heading", sam.Text("h1"), "Propose a wording of “Neighbourhood working”")
	sam.Fill("#markdown", statutoryWording)
	sam.ClickAndWait(`form[action="/terms/` + slug + `/versions"] button[type=submit]`)
	v1 := savedVersion(t, sam)
	wantContains(t, "statutory version's byline", sam.Text(".byline"), "By Sam Okafor, Southwark Council")
	wantEqual(t, "statutory version's badge", sam.Text(".byline .badge"), "Statutory")
	wantEqual(t, "wiki link to Primary care network", sam.Attr(`.wording a[href*="primary-care-network"]`, "href"), "/terms/primary-care-network")

	// The voluntary partner amends it: the form starts from its text.
	val := site.newPerson(t, "voluntary partner", mode...)
	val.SignIn("val@peckhamhub.example", testPassword)
	val.Open("/terms/" + slug)
	val.ClickAndWait(fmt.Sprintf(`#v%d a[href="/terms/%s/propose?amend=%d"]`, v1, slug, v1))
	wantContains(t, "amend page heading", val.Text("h1"), fmt.Sprintf("Amend version %d", v1))
	wantEqual(t, "amend form's starting text", val.Value("#markdown"), statutoryWording)
	val.Fill("#markdown", voluntaryWording)
	val.ClickAndWait(`form[action="/terms/` + slug + `/versions"] button[type=submit]`)
	v2 := savedVersion(t, val)
	wantContains(t, "amendment's byline", val.Text(".byline"), fmt.Sprintf("amends version %d", v1))

	// Both versions show on the term page, each with its sector badge.
	visitor := site.newPerson(t, "visitor", mode...)
	visitor.Open("/terms/" + slug)
	wantContains(t, "statutory version on the term page", visitor.Text(fmt.Sprintf("#v%d .wording", v1)), "local groups work together in your area")
	wantEqual(t, "statutory version's badge on the term page", visitor.Text(fmt.Sprintf("#v%d .badge", v1)), "Statutory")
	wantContains(t, "voluntary version on the term page", visitor.Text(fmt.Sprintf("#v%d .wording", v2)), "local community groups work together with you")
	wantEqual(t, "voluntary version's badge on the term page", visitor.Text(fmt.Sprintf("#v%d .badge", v2)), "Voluntary & community")
	wantContains(t, "voluntary version's byline on the term page", visitor.Text(fmt.Sprintf("#v%d .byline", v2)), "By Val Mensah, Peckham Community Hub")

	// The history page compares the two: the diff shows what changed.
	visitor.Open("/terms/" + slug + "/history")
	visitor.Check(fmt.Sprintf("#from-%d", v1))
	visitor.Check(fmt.Sprintf("#to-%d", v2))
	visitor.ClickAndWait(`form[action="/terms/` + slug + `/diff"] button[type=submit]`)
	if q := visitor.Location().Query(); q.Get("from") != strconv.Itoa(v1) || q.Get("to") != strconv.Itoa(v2) {
		t.Fatalf("Compare went to %s, want from=%d&to=%d", visitor.Location(), v1, v2)
	}
	added := strings.Join(visitor.Texts(".diff ins"), " ")
	removed := strings.Join(visitor.Texts(".diff del"), " ")
	for _, w := range []string{"community", "with you", "neighbourhood"} {
		wantContains(t, "added words (ins)", added, w)
	}
	wantContains(t, "removed words (del)", removed, "area")
	if strings.Contains(removed, "community") || strings.Contains(added, "Primary care network") {
		t.Errorf("the diff marks unchanged words: added %q, removed %q", added, removed)
	}
	wantContains(t, "diff summary", visitor.Text("main > p"), "words added, 1 word removed")

	// 3. The facilitator adds two neighbourhoods and prints invite codes.
	fac.Open("/admin/neighbourhoods")
	for _, name := range []string{"Peckham", "Camberwell"} {
		fac.Fill("#nb-name", name)
		fac.ClickAndWait(`form[action="/admin/neighbourhoods"] button[type=submit]`)
		wantContains(t, "flash after adding a neighbourhood", fac.Text(".flash"), name+" is added.")
	}
	peckhamCodes := printCodes(t, fac, "Peckham", 2)
	camberwellCodes := printCodes(t, fac, "Camberwell", 1)

	// It opens an approval vote on the two new versions, quorum 3.
	fac.Open("/terms/" + slug)
	fac.ClickAndWait(`a[href="/terms/` + slug + `/rounds/new"]`)
	if n := fac.Count(`input[name=candidate]`); n != 3 {
		t.Errorf("the open-a-vote form offers %d versions, want 3 (starter, statutory, voluntary)", n)
	}
	for _, id := range fac.AttrAll(`input[name=candidate]`, "value") {
		if id == strconv.Itoa(v1) || id == strconv.Itoa(v2) {
			fac.Check("#candidate-" + id)
		} else {
			fac.Uncheck("#candidate-" + id)
		}
	}
	fac.Check("#method-approval")
	fac.Fill("#quorum", "3")
	fac.Fill("#threshold", "50")
	fac.ClickAndWait(`form[action="/terms/` + slug + `/rounds"] button[type=submit]`)
	wantContains(t, "flash after opening the vote", fac.Text(".flash"), "The vote is open until")
	roundPath := fac.Location().Path
	if !regexp.MustCompile(`^/rounds/\d+$`).MatchString(roundPath) {
		t.Fatalf("opening the vote led to %s, want /rounds/ID", roundPath)
	}
	wantContains(t, "turnout before anyone votes", fac.Text(".turnout"), "0 people have voted so far")
	rules := fac.Text(".rules")
	wantContains(t, "the vote's rules", rules, "Tick every wording that makes sense to you")
	wantContains(t, "the vote's rules", rules, "At least 3 ballots, and the winning wording must make sense to at least 50% of voters")

	// 4. Three residents join on their phones, read the candidates and vote.
	rae := join(t, site, "Rae", peckhamCodes[0], "Peckham", mode)
	rae.Open(roundPath)
	readCandidates(t, rae, v1, v2)
	look(t, rae, "ballot-phone")
	rae.Viewport(desktopSize)
	rae.Open(roundPath)
	look(t, rae, "ballot-desktop")
	rae.Viewport(phoneSize)
	rae.Open(roundPath)
	rae.Check(fmt.Sprintf("#approve-%d", v2))
	raeReceipt := castVote(t, rae, "Cast my vote", roundPath)

	// Priya votes for the statutory wording, then changes her mind: her
	// new receipt replaces the old one.
	priya := join(t, site, "Priya", peckhamCodes[1], "Peckham", mode)
	priya.Open(roundPath)
	readCandidates(t, priya, v1, v2)
	priya.Check(fmt.Sprintf("#approve-%d", v1))
	priyaFirst := castVote(t, priya, "Cast my vote", roundPath)
	priya.Open(roundPath)
	wantContains(t, "note for a resident who has voted", priya.Text(".note"), "You have voted")
	if !priya.Checked(fmt.Sprintf("#approve-%d", v1)) || priya.Checked(fmt.Sprintf("#approve-%d", v2)) {
		t.Errorf("Priya's ballot form does not show her first choices (version %d ticked, %d not)", v1, v2)
	}
	priya.Uncheck(fmt.Sprintf("#approve-%d", v1))
	priya.Check(fmt.Sprintf("#approve-%d", v2))
	priyaFinal := castVote(t, priya, "Save my changed vote", roundPath)
	if priyaFinal == priyaFirst {
		t.Errorf("a changed vote kept the receipt %s", priyaFirst)
	}

	// Kofi votes with the keyboard alone: Tab to each box, Space to tick
	// it, Tab to the button, Enter to send. No mouse events, no scripts.
	kofi := join(t, site, "Kofi", camberwellCodes[0], "Camberwell", mode)
	kofi.Open(roundPath)
	readCandidates(t, kofi, v1, v2)
	for _, id := range []int{v1, v2} {
		box := fmt.Sprintf("#approve-%d", id)
		kofi.TabTo(box)
		kofi.Press(" ")
		if !kofi.Checked(box) {
			t.Fatalf("Space on %s did not tick it", box)
		}
	}
	kofi.TabTo(`form[action$="/ballot"] button[type=submit]`)
	kofi.PressAndWait(kb.Enter)
	kofiReceipt := receipt(t, kofi, roundPath)

	fac.Open(roundPath)
	wantContains(t, "turnout after three votes", fac.Text(".turnout"), "3 people have voted so far")

	// 5. The facilitator closes the vote, saying yes when asked; the
	// residents' choice is agreed.
	fac.ClickAndWait(`a[href="` + roundPath + `/close"]`)
	fac.ClickAndWait(`form[action="` + roundPath + `/close"] button[type=submit]`)
	wantContains(t, "flash after closing", fac.Text(".flash"), fmt.Sprintf("The vote is closed. Version %d won: 100%% of the 3 people who voted said it makes sense", v2))

	visitor.Open("/terms/" + slug)
	wantContains(t, "agreed wording on the term page", visitor.Text(".agreed .wording"), "local community groups work together with you in your neighbourhood")
	wantContains(t, "agreed wording's byline", visitor.Text(".agreed .byline"), "By Val Mensah, Peckham Community Hub")
	provenance := visitor.Text(".provenance")
	wantContains(t, "provenance", provenance, "Chosen by 3 residents from 2 neighbourhoods in round")
	wantContains(t, "provenance", provenance, "100% said it makes sense")
	if got := visitor.Texts(".versions .version"); len(got) != 2 {
		t.Errorf("the term page lists %d other wordings, want 2 (the starter and the statutory one)", len(got))
	}
	look(t, visitor, "term-desktop")
	// The definition a council page would frame says the same.
	visitor.Open("/api/v1/terms/" + slug + "/embed")
	wantContains(t, "embedded wording", visitor.Text(".wording"), "local community groups work together with you in your neighbourhood")
	wantContains(t, "embedded provenance", visitor.Text(".provenance"), "Chosen by 3 residents from 2 neighbourhoods")
	look(t, visitor, "embed-desktop")
	visitor.Open("/terms/" + slug)
	visitor.ClickAndWait(`.provenance a[href="` + roundPath + `/results"]`)
	wantContains(t, "results outcome", visitor.Text(".outcome"), fmt.Sprintf("Version %d won", v2))
	wantContains(t, "results turnout", visitor.Text("main"), "3 people voted")
	if n := visitor.Count(`svg[role=img]`); n != 1 {
		t.Errorf("the results page has %d charts (svg[role=img]), want 1", n)
	}
	chart := visitor.Attr(`svg[role=img]`, "aria-labelledby")
	if chart == "" {
		t.Errorf("the results chart has no aria-labelledby")
	}
	look(t, visitor, "results-desktop")
	visitor.Viewport(phoneSize)
	visitor.Open(roundPath + "/results")
	look(t, visitor, "results-phone")
	visitor.Open("/terms/" + slug)
	look(t, visitor, "term-phone")

	// Every resident finds their last receipt among the published ballots;
	// Priya's replaced receipt is not there.
	var ballots []struct {
		Receipt string `json:"receipt"`
		Marks   []int  `json:"marks"`
	}
	site.GetJSON(t, roundPath+"/ballots.json", &ballots)
	marks := map[string][]int{}
	for _, b := range ballots {
		marks[b.Receipt] = b.Marks
	}
	if len(ballots) != 3 {
		t.Errorf("%d ballots are published, want 3: %v", len(ballots), marks)
	}
	for who, want := range map[string]struct {
		receipt string
		marks   []int
	}{
		"Rae":   {raeReceipt, []int{v2}},
		"Priya": {priyaFinal, []int{v2}},
		"Kofi":  {kofiReceipt, []int{v1, v2}},
	} {
		got, ok := marks[want.receipt]
		slices.Sort(got)
		switch {
		case !ok:
			t.Errorf("%s's receipt %s is not among the published ballots %v", who, want.receipt, marks)
		case !slices.Equal(got, want.marks):
			t.Errorf("%s's published ballot ticks %v, want %v", who, got, want.marks)
		}
	}
	if _, ok := marks[priyaFirst]; ok {
		t.Errorf("Priya's replaced receipt %s is still published", priyaFirst)
	}

	// The operator scrapes /metrics after the journey: four ballots were
	// cast (Priya's twice), each a POST counted under its route pattern.
	metrics := site.Get(t, "/metrics")
	for _, want := range []string{
		"wordgarden_ballots_cast_total 4\n",
		`wordgarden_http_requests_total{method="POST",route="/rounds/:id/ballot",status="200"} 4` + "\n",
		"wordgarden_rounds_open 0\n",
	} {
		wantContains(t, "/metrics", metrics, want)
	}
	t.Logf("journey (JavaScript on: %v) took %s", js, time.Since(start).Round(time.Millisecond))
}

// look saves a screenshot of the person's page for people to look at, and
// checks the page fits the window: nobody has to scroll sideways.
func look(t *testing.T, p *Person, name string) {
	t.Helper()
	p.Screenshot(name)
	if over := p.OverflowX(); over > 0 {
		t.Errorf("%s: the page %s is %dpx wider than the window (%s)", p.name, p.Location().Path, over, name)
	}
}

// addOrganisation adds an organisation at /admin (the facilitator is there)
// and checks the table shows it with its sector badge.
func addOrganisation(t *testing.T, fac *Person, name, sector, badge string) {
	t.Helper()
	fac.Fill("#org-name", name)
	fac.Check("#sector-" + sector)
	fac.ClickAndWait(`form[action="/admin/organisations"] button[type=submit]`)
	wantContains(t, "flash after adding an organisation", fac.Text(".flash"), name+" is added.")
	rows := fac.Texts(`section[aria-labelledby=orgs] tbody tr`)
	if !slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(r, name) && strings.Contains(r, badge) }) {
		t.Errorf("the organisations table %q has no row for %s with the badge %q", rows, name, badge)
	}
}

// addPartner makes a partner account at /admin for an organisation.
func addPartner(t *testing.T, fac *Person, name, email, org string) {
	t.Helper()
	fac.Fill("#user-name", name)
	fac.Fill("#user-email", email)
	fac.Check("#role-partner")
	fac.SelectOption("#user-organisation", org)
	fac.Fill("#user-password", testPassword)
	fac.ClickAndWait(`form[action="/admin/users"] button[type=submit]`)
	wantContains(t, "flash after adding a partner", fac.Text(".flash"), "An account for "+name+" is made.")
	rows := fac.Texts(`section[aria-labelledby=people] tbody tr`)
	if !slices.ContainsFunc(rows, func(r string) bool { return strings.Contains(r, email) && strings.Contains(r, org) }) {
		t.Errorf("the people table %q has no row for %s at %s", rows, email, org)
	}
}

var savedAs = regexp.MustCompile(`Your wording is saved as version (\d+)\.`)

// savedVersion reads the new version's id from the page a partner sees
// after saving a wording.
func savedVersion(t *testing.T, p *Person) int {
	t.Helper()
	m := savedAs.FindStringSubmatch(p.Text(".flash"))
	if m == nil {
		t.Fatalf("%s: no “saved as version” message after saving; page says: %s", p.name, p.mainText())
	}
	id, _ := strconv.Atoi(m[1])
	if got := p.Location().Path; got != "/versions/"+m[1] {
		t.Errorf("%s: after saving, the page is %s, want /versions/%d", p.name, got, id)
	}
	return id
}

var codeFormat = regexp.MustCompile(`^[A-Z0-9]{4}-[A-Z0-9]{4}$`)

// printCodes prints count invite codes for a neighbourhood from
// /admin/neighbourhoods and reads them off the print page's slips.
func printCodes(t *testing.T, fac *Person, neighbourhood string, count int) []string {
	t.Helper()
	fac.Open("/admin/neighbourhoods")
	fac.SelectOption("#inv-neighbourhood", neighbourhood)
	fac.Fill("#inv-count", strconv.Itoa(count))
	fac.ClickAndWait(`form[action="/admin/invites"] button[type=submit]`)
	wantContains(t, "print page heading", fac.Text("h1"), fmt.Sprintf("%d invite code", count))
	wantContains(t, "print page heading", fac.Text("h1"), "for "+neighbourhood)
	codes := fac.Texts(".slip .code")
	if len(codes) != count {
		t.Fatalf("the print page shows %d codes, want %d", len(codes), count)
	}
	for _, c := range codes {
		if !codeFormat.MatchString(c) {
			t.Errorf("invite code %q is not like K7PX-3MQ9", c)
		}
	}
	return codes
}

// join has a new resident join with an invite code in a phone-sized browser.
func join(t *testing.T, site *Site, name, code, neighbourhood string, mode []PersonOption) *Person {
	t.Helper()
	p := site.newPerson(t, "resident "+name, append([]PersonOption{phone()}, mode...)...)
	p.Open("/join")
	p.Fill("#code", strings.ToLower(code)) // small letters work too, says the hint
	p.Fill("#name", name)
	p.Fill("#password", testPassword)
	p.ClickAndWait(`main form[action="/join"] button[type=submit]`)
	wantContains(t, name+"'s welcome", p.Text(".flash"), "Welcome, "+name+". You are signed in as a resident of "+neighbourhood+".")
	wantContains(t, name+"'s sign-out button", p.Text(`form[action="/logout"] button`), name)
	return p
}

// readCandidates checks the resident sees both wordings on the ballot, in
// full, with a box to tick for each.
func readCandidates(t *testing.T, p *Person, v1, v2 int) {
	t.Helper()
	wantContains(t, "ballot heading", p.Text("h1"), "Which wording of “Neighbourhood working” makes sense to you?")
	if n := p.Count("li.candidate"); n != 2 {
		t.Errorf("%s sees %d candidates, want 2", p.name, n)
	}
	wantContains(t, "statutory candidate", p.Text(fmt.Sprintf("#candidate-%d .wording", v1)), "local groups work together in your area")
	wantContains(t, "voluntary candidate", p.Text(fmt.Sprintf("#candidate-%d .wording", v2)), "local community groups work together with you")
	wantEqual(t, "statutory candidate's badge", p.Text(fmt.Sprintf("#candidate-%d .badge", v1)), "Statutory")
	wantEqual(t, "voluntary candidate's badge", p.Text(fmt.Sprintf("#candidate-%d .badge", v2)), "Voluntary & community")
	for _, id := range []int{v1, v2} {
		wantEqual(t, "label of the box", p.Text(fmt.Sprintf(`label[for="approve-%d"]`, id)), fmt.Sprintf("Version %d makes sense to me", id))
	}
}

// castVote presses the ballot's button, which must say label, and returns
// the receipt the answer shows.
func castVote(t *testing.T, p *Person, label, roundPath string) string {
	t.Helper()
	button := `form[action="` + roundPath + `/ballot"] button[type=submit]`
	wantEqual(t, "ballot button", p.Text(button), label)
	p.ClickAndWait(button)
	return receipt(t, p, roundPath)
}

var receiptFormat = regexp.MustCompile(`^[A-Z0-9-]{6,}$`)

// receipt reads the receipt code off the page that answers a ballot.
func receipt(t *testing.T, p *Person, roundPath string) string {
	t.Helper()
	if got := p.Location().Path; got != roundPath+"/ballot" {
		t.Errorf("%s: the vote's answer is at %s, want %s/ballot", p.name, got, roundPath)
	}
	wantEqual(t, p.name+"'s answer heading", p.Text("h1"), "Your vote is counted")
	r := p.Text("#receipt")
	if !receiptFormat.MatchString(r) {
		t.Fatalf("%s's receipt %q does not look like a code", p.name, r)
	}
	return r
}

func wantContains(t *testing.T, what, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Errorf("%s: got %q, want it to contain %q", what, got, want)
	}
}

func wantEqual(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %q, want %q", what, got, want)
	}
}
