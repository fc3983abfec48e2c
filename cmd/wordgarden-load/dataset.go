package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"wordgarden/server/markdown"
	"wordgarden/server/slug"
	"wordgarden/server/store"
)

// datasetParams says how big a data set to build.
type datasetParams struct {
	Terms          int    `json:"terms"`
	Ballots        int    `json:"ballots"`
	Residents      int    `json:"residents"`
	Rounds         int    `json:"rounds"`
	Neighbourhoods int    `json:"neighbourhoods"`
	Seed           uint64 `json:"seed"`
}

func (p datasetParams) check() error {
	switch {
	case p.Terms < 10:
		return errors.New("-terms must be at least 10")
	case p.Neighbourhoods < 1:
		return errors.New("-neighbourhoods must be at least 1")
	case p.Residents < 10:
		return errors.New("-residents must be at least 10")
	case p.Rounds < 0 || p.Rounds > p.Terms-1:
		return fmt.Errorf("-rounds must be between 0 and %d (one term keeps the open round)", p.Terms-1)
	case p.Ballots < 0:
		return errors.New("-ballots must not be negative")
	case p.Rounds > 0 && (p.Ballots+p.Rounds-1)/p.Rounds > p.Residents:
		return fmt.Errorf("%d ballots over %d rounds is more than one ballot per resident per round (%d residents): raise -residents or -rounds",
			p.Ballots, p.Rounds, p.Residents)
	}
	return nil
}

// datasetMarker is the settings key under which the load command notes
// that a database is one of its data sets, and how it was made.
const datasetMarker = "wordgarden-load dataset"

// loadPassword is every account's password in a data set, should someone
// want to sign in by hand and look around.
const loadPassword = "wordgarden load test"

// Titles are made of a modifier or two and a noun, in sentence case.
var modifiers = strings.Fields(`community social primary integrated neighbourhood local mental adult
	family digital health care home early urgent personal shared public voluntary housing youth
	carers hospital pharmacy wellbeing peer outreach preventive specialist discharge dementia
	maternity school estate tenant food debt employment transport library faith sports arts
	older green`)

var nouns = strings.Fields(`navigator hub network team plan budget assessment support partnership
	working prescribing referral service worker champion forum pathway board offer review panel
	check grant coordinator programme helpline drop-in clinic allowance visit package agreement
	charter register outreach group strategy fund circle cafe walk advocate connector liaison
	passport audit survey directory`)

// missingTitles are linked to but never started, as happens in a wiki.
var missingTitles = []string{"Ward councillor", "Care quality inspection", "Walk-in centre",
	"Council tax reduction", "Blue badge", "Warm space", "Repair cafe", "Street champion"}

var neighbourhoodNames = []string{"Peckham", "Camberwell", "Bermondsey", "Rotherhithe", "Walworth",
	"Dulwich", "Nunhead", "Borough", "Elephant and Castle", "Herne Hill", "Peckham Rye",
	"East Dulwich", "Bankside", "Newington", "Faraday", "North Walworth", "Old Kent Road",
	"Surrey Docks", "South Bermondsey", "Champion Hill"}

var firstNames = strings.Fields(`Amina Ben Chloe Dev Efua Femi Grace Hamid Isla Jamal Kemi Leo Maya
	Nadia Olu Priya Quinn Rosa Sam Tariq Una Victor Wen Xavier Yusuf Zara Ade Bea Cal Dina`)

var lastNames = strings.Fields(`Okafor Smith Khan Jones Mensah Patel Brown Adeyemi Taylor Ali Wilson
	Osei Evans Begum Thomas Nwosu Roberts Hussain Walker Boateng Green Ahmed Hall Owusu Clarke`)

// Sentences of wordings; {t} is the term's title in lower case, {n} a
// neighbourhood.
var openers = []string{
	"{T} means help that is arranged around you, close to where you live.",
	"{T} is how local services and community groups work together on {t}.",
	"{T} is a way for residents to get the right support without being passed from one service to another.",
	"{T} describes the people and places that help with {t} in your area.",
	"{T} is free support from the council, the NHS and local groups, working as one team.",
	"{T} means a named person who listens, helps you make a plan and stays in touch.",
}

var sentences = []string{
	"You can ask for it yourself, or your GP practice, a pharmacist or a social worker can refer you.",
	"It is for anyone who lives in Southwark, whatever their age.",
	"Staff from health and care services meet every week to plan support together.",
	"In {n} it runs from the community centre on weekday mornings.",
	"It does not replace medical treatment: keep taking any medicine you are prescribed.",
	"Voluntary and community groups are equal partners in deciding how it works.",
	"It costs nothing, and you can stop at any time.",
	"Residents in {n} told us the old name was confusing, so we use plain words here.",
	"You will not have to tell your story again to every service you meet.",
	"Most people hear back within two weeks.",
	"It can help with housing, money worries, loneliness and getting active.",
	"Carers can ask for it too, for themselves or for the person they look after.",
	"Interpreters are available, and you can bring someone with you.",
	"Neighbourhood working means the services in {n} share what they know, with your permission.",
	"Test and learn sessions in {n} tried this wording with residents before it was proposed.",
	"Some people call it social prescribing, others call it community support.",
}

var listItems = []string{
	"a conversation about what matters to you",
	"help to find local groups and activities",
	"support with forms, benefits and bills",
	"a plan you agree together",
	"a follow-up call after a few weeks",
	"advice on staying well at home",
	"somewhere to go on a bad day",
	"information in your own language",
}

var linkSentences = []string{
	"It works closely with {L1} and {L2}.",
	"See also {L1}.",
	"If you need more, ask about {L1} or {L2}.",
	"It is often the first step before {L1}.",
	"People sometimes confuse it with {L1}; {L2} is different again.",
}

// sentence capitalises the first letter of s.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// genTitles makes n distinct titles with distinct slugs.
func genTitles(rng *rand.Rand, n int) []string {
	seen := map[string]bool{}
	for _, t := range missingTitles {
		seen[slug.Make(t)] = true
	}
	var titles []string
	add := func(t string) {
		s := slug.Make(t)
		if !seen[s] {
			seen[s] = true
			titles = append(titles, t)
		}
	}
	for _, i := range rng.Perm(len(modifiers) * len(nouns)) {
		if len(titles) == n {
			return titles
		}
		add(sentence(modifiers[i/len(nouns)] + " " + nouns[i%len(nouns)]))
	}
	for len(titles) < n {
		a, b := modifiers[rng.IntN(len(modifiers))], modifiers[rng.IntN(len(modifiers))]
		if a == b {
			continue
		}
		add(sentence(a + " " + b + " " + nouns[rng.IntN(len(nouns))]))
	}
	return titles
}

// genWording writes one version of a term: a few paragraphs, sometimes a
// list, and wiki links to other terms (now and then to one nobody started).
func genWording(rng *rand.Rand, title string, titles []string, amend string) string {
	hood := neighbourhoodNames[rng.IntN(len(neighbourhoodNames))]
	fill := func(s string) string {
		return strings.NewReplacer("{T}", title, "{t}", strings.ToLower(title), "{n}", hood).Replace(s)
	}
	link := func() string {
		if rng.IntN(20) == 0 {
			return "[[" + missingTitles[rng.IntN(len(missingTitles))] + "]]"
		}
		other := titles[rng.IntN(len(titles))]
		if rng.IntN(3) == 0 {
			return "[[" + slug.Make(other) + "|" + strings.ToLower(other) + "]]"
		}
		return "[[" + other + "]]"
	}
	var b strings.Builder
	if amend != "" {
		b.WriteString(amend)
		b.WriteString(" ")
	}
	b.WriteString(fill(openers[rng.IntN(len(openers))]))
	for range 1 + rng.IntN(2) {
		b.WriteString(" " + fill(sentences[rng.IntN(len(sentences))]))
	}
	b.WriteString("\n\n")
	ls := linkSentences[rng.IntN(len(linkSentences))]
	b.WriteString(strings.NewReplacer("{L1}", link(), "{L2}", link()).Replace(ls))
	b.WriteString(" " + fill(sentences[rng.IntN(len(sentences))]) + "\n\n")
	if rng.IntN(2) == 0 {
		b.WriteString("What you can expect:\n\n")
		for _, i := range rng.Perm(len(listItems))[:3] {
			b.WriteString("- " + listItems[i] + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString(fill(sentences[rng.IntN(len(sentences))]))
	if rng.IntN(2) == 0 {
		b.WriteString(" Ask about " + link() + " at your **local library** or family hub.")
	}
	b.WriteString("\n")
	return b.String()
}

// genVersion is a version made in memory before it is written.
type genVersion struct {
	id, termID, parentID, authorID int64
	authorName, authorRole         string
	orgName, sector                string
	md                             string
	res                            markdown.Result
	summary                        string
	createdAt                      time.Time
}

// person is an account a data set makes.
type person struct {
	id     int64
	email  string
	name   string
	org    string
	orgID  int64
	sector string
}

// progress prints one line of the build's progress to stderr.
type progress struct {
	w     io.Writer
	start time.Time
}

func (p progress) say(format string, args ...any) {
	fmt.Fprintf(p.w, "dataset %6.1fs  %s\n", time.Since(p.start).Seconds(), fmt.Sprintf(format, args...))
}

// buildDataset makes a fresh data set at dsn (a SQLite file that must not
// exist, or an empty PostgreSQL schema) and returns how long it took.
func buildDataset(ctx context.Context, dsn string, p datasetParams, stderr io.Writer) (time.Duration, error) {
	pr := progress{w: stderr, start: time.Now()}
	pr.say("building %d terms, %d residents in %d neighbourhoods, %d closed rounds with %d ballots, one open round, in %s",
		p.Terms, p.Residents, p.Neighbourhoods, p.Rounds, p.Ballots, store.Redact(dsn))

	// The schema, exactly as the server makes it.
	st, err := store.Open(dsn)
	if err != nil {
		return 0, err
	}
	if err := st.Close(); err != nil {
		return 0, err
	}

	db, err := openBulk(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	postgres := store.IsPostgres(dsn)

	rng := rand.New(rand.NewPCG(p.Seed, 0x776f7264))
	now := time.Now().UTC()
	epoch := now.Add(-400 * 24 * time.Hour) // the glossary began over a year ago

	// One bcrypt hash for every account.
	hashed, err := bcrypt.GenerateFromPassword([]byte(loadPassword), bcrypt.DefaultCost)
	if err != nil {
		return 0, err
	}
	hash := string(hashed)

	// People.
	type org struct {
		name, sector string
	}
	orgs := []org{{"Southwark Council", "statutory"}, {"Guy's and St Thomas' NHS Trust", "statutory"},
		{"Peckham GP Practice", "statutory"}, {"Peckham Community Hub", "voluntary"},
		{"Walworth Carers Network", "voluntary"}, {"Bermondsey Food Bank", "voluntary"}}
	var partners []person
	facilitator := person{id: 1, email: "facilitator@load.example", name: "Fran Facilitator"}
	hoodIDs := make([]int64, p.Neighbourhoods)
	residentHood := make([]int64, p.Residents) // by resident index
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		for i, o := range orgs {
			if _, err := tx.Exec(`INSERT INTO organisations (id, name, sector, created_at) VALUES ($1, $2, $3, $4)`,
				i+1, o.name, o.sector, epoch); err != nil {
				return err
			}
		}
		for i := range hoodIDs {
			name := neighbourhoodNames[i%len(neighbourhoodNames)]
			if i >= len(neighbourhoodNames) {
				name += " " + strconv.Itoa(i/len(neighbourhoodNames)+1)
			}
			hoodIDs[i] = int64(i + 1)
			if _, err := tx.Exec(`INSERT INTO neighbourhoods (id, slug, name, created_at) VALUES ($1, $2, $3, $4)`,
				hoodIDs[i], slug.Make(name), name, epoch); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO users (id, email, name, role, password_hash, created_at)
			VALUES ($1, $2, $3, 'facilitator', $4, $5)`, facilitator.id, facilitator.email, facilitator.name, hash, epoch); err != nil {
			return err
		}
		id := int64(2)
		for i, o := range orgs {
			for k := range 2 {
				pp := person{id: id, email: fmt.Sprintf("partner%d.%d@load.example", i+1, k+1),
					name: fmt.Sprintf("%s %s", firstNames[(i*2+k)%len(firstNames)], lastNames[(i*2+k)%len(lastNames)]),
					org:  o.name, orgID: int64(i + 1), sector: o.sector}
				if _, err := tx.Exec(`INSERT INTO users (id, email, name, role, organisation_id, password_hash, created_at)
					VALUES ($1, $2, $3, 'partner', $4, $5, $6)`, pp.id, pp.email, pp.name, pp.orgID, hash, epoch); err != nil {
					return err
				}
				partners = append(partners, pp)
				id++
			}
		}
		user, err := tx.Prepare(`INSERT INTO users (id, name, role, neighbourhood_id, password_hash, created_at)
			VALUES ($1, $2, 'resident', $3, $4, $5)`)
		if err != nil {
			return err
		}
		defer user.Close()
		invite, err := tx.Prepare(`INSERT INTO invites (code_hash, neighbourhood_id, created_at, used_at, user_id)
			VALUES ($1, $2, $3, $4, $5)`)
		if err != nil {
			return err
		}
		defer invite.Close()
		for i := range p.Residents {
			hood := hoodIDs[rng.IntN(len(hoodIDs))]
			residentHood[i] = hood
			name := fmt.Sprintf("%s %s %d", firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)], i+1)
			joined := epoch.Add(time.Duration(rng.Int64N(int64(380 * 24 * time.Hour))))
			if _, err := user.Exec(residentID(i), name, hood, hash, joined); err != nil {
				return err
			}
			code := sha256.Sum256([]byte(fmt.Sprintf("invite %d %d", p.Seed, i)))
			if _, err := invite.Exec(code[:], hood, joined.Add(-48*time.Hour), joined, residentID(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("people: %w", err)
	}
	pr.say("%d neighbourhoods, %d organisations, %d partners, 1 facilitator, %d residents (one bcrypt hash for all)",
		p.Neighbourhoods, len(orgs), len(partners), p.Residents)

	// Terms and versions, rendered in parallel: every version is different,
	// and rendering is what the server would have done when each was written.
	titles := genTitles(rng, p.Terms)
	slugs := make(map[string]bool, len(titles))
	for _, t := range titles {
		slugs[slug.Make(t)] = true
	}
	exists := func(s string) bool { return slugs[s] }
	openTerm := p.Terms // the last term gets the open round, and a fourth version
	var versions []*genVersion
	agreed := make([]int64, p.Terms+1) // by term id
	vid := int64(0)
	for i, title := range titles {
		termID := int64(i + 1)
		born := epoch.Add(time.Duration(i) * (300 * 24 * time.Hour) / time.Duration(p.Terms))
		n := 3
		if int(termID) == openTerm {
			n = 4
		}
		imported := rng.IntN(10) < 3 // about 3 in 10 came from the starter glossary, agreed
		lead := rng.IntN(2)          // which sector writes first
		var first int64
		for k := range n {
			vid++
			v := &genVersion{id: vid, termID: termID, createdAt: born.Add(time.Duration(k) * 36 * time.Hour)}
			var amend string
			switch {
			case k == 0 && imported:
				v.authorName, v.authorRole = "Imported glossary", "import"
			default:
				// Sectors take turns; amendments come from the other sector.
				sector := (lead + k) % 2
				pp := partners[(sector*len(partners)/2+rng.IntN(len(partners)/2))%len(partners)]
				v.authorID, v.authorName, v.authorRole = pp.id, pp.name, "partner"
				v.orgName, v.sector = pp.org, pp.sector
			}
			if k == 1 || k == 3 {
				v.parentID = first // an amendment of the first wording
				if k == 3 {
					v.parentID = first + 1
				}
				amend = "In plain words:"
			}
			if k == 0 {
				first = v.id
			}
			v.md = genWording(rng, title, titles, amend)
			versions = append(versions, v)
		}
		if imported {
			agreed[termID] = first
		}
	}
	if err := renderAll(versions, exists); err != nil {
		return 0, err
	}
	pr.say("%d terms, %d versions written and rendered", len(titles), len(versions))

	err = inTx(ctx, db, func(tx *sql.Tx) error {
		term, err := tx.Prepare(`INSERT INTO terms (id, slug, title, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5)`)
		if err != nil {
			return err
		}
		defer term.Close()
		version, err := tx.Prepare(`INSERT INTO versions (id, term_id, parent_id, author_id, author_name, author_role,
			organisation_name, sector, markdown, html, text, summary, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`)
		if err != nil {
			return err
		}
		defer version.Close()
		link, err := tx.Prepare(`INSERT INTO links (version_id, target_slug) VALUES ($1, $2)`)
		if err != nil {
			return err
		}
		defer link.Close()
		// SQLite's FTS5 table keys a term's row by rowid, PostgreSQL's
		// table by term_id; its tsvector is a generated column.
		searchKey := "rowid"
		if postgres {
			searchKey = "term_id"
		}
		search, err := tx.Prepare(`INSERT INTO term_search (` + searchKey + `, title, agreed, proposed) VALUES ($1, $2, $3, $4)`)
		if err != nil {
			return err
		}
		defer search.Close()
		// A term's agreed version is set once its versions are in:
		// PostgreSQL checks foreign keys, row by row.
		agree, err := tx.Prepare(`UPDATE terms SET agreed_version_id = $1 WHERE id = $2`)
		if err != nil {
			return err
		}
		defer agree.Close()
		byTerm := map[int64][]*genVersion{}
		for _, v := range versions {
			byTerm[v.termID] = append(byTerm[v.termID], v)
		}
		for i, title := range titles {
			termID := int64(i + 1)
			vs := byTerm[termID]
			updated := vs[len(vs)-1].createdAt
			if _, err := term.Exec(termID, slug.Make(title), title, vs[0].createdAt, updated); err != nil {
				return fmt.Errorf("term %q: %w", title, err)
			}
			var agreedText string
			var proposed []string
			for _, v := range vs {
				if _, err := version.Exec(v.id, v.termID, nullID(v.parentID), nullID(v.authorID), v.authorName, v.authorRole,
					v.orgName, v.sector, v.md, v.res.HTML, v.res.Text, v.summary, v.createdAt); err != nil {
					return fmt.Errorf("version %d: %w", v.id, err)
				}
				for _, target := range v.res.Links {
					if _, err := link.Exec(v.id, target); err != nil {
						return fmt.Errorf("link from version %d: %w", v.id, err)
					}
				}
				if v.id == agreed[termID] {
					agreedText = v.res.Text
				} else {
					proposed = append(proposed, v.res.Text)
				}
			}
			if agreed[termID] != 0 {
				if _, err := agree.Exec(agreed[termID], termID); err != nil {
					return fmt.Errorf("agreed version of %q: %w", title, err)
				}
			}
			// As the store's indexTerm writes it.
			if _, err := search.Exec(termID, title, agreedText, strings.Join(proposed, "\n\n")); err != nil {
				return fmt.Errorf("search row of %q: %w", title, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("terms: %w", err)
	}
	pr.say("terms, versions, links and search index stored")

	// Rounds: closed ones get their ballots while still open, then the
	// store closes them, which counts and stores the result as the server
	// would. The open one waits for the load run.
	roundTerms := rng.Perm(p.Terms - 1)[:p.Rounds] // term index; never the open round's term
	var roundIDs []int64
	perRound := 0
	if p.Rounds > 0 {
		perRound = p.Ballots / p.Rounds
	}
	ballotsDone := 0
	serial := int64(0)
	for r, ti := range roundTerms {
		termID := int64(ti + 1)
		roundID := int64(r + 1)
		roundIDs = append(roundIDs, roundID)
		method := "approval"
		if r%5 == 4 {
			method = "ranked"
		}
		opened := epoch.Add(time.Duration(300+r%60) * 24 * time.Hour)
		closes := opened.Add(14 * 24 * time.Hour)
		n := perRound
		if r < p.Ballots-perRound*p.Rounds {
			n++ // spread the remainder
		}
		cands := []int64{3*termID - 2, 3*termID - 1, 3 * termID} // the term's three versions
		err := inTx(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.Exec(`INSERT INTO rounds (id, term_id, method, quorum, threshold_pct, opened_by, opened_at, closes_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, roundID, termID, method, 50, 40, facilitator.id, opened, closes); err != nil {
				return err
			}
			for pos, v := range cands {
				if _, err := tx.Exec(`INSERT INTO round_candidates (round_id, version_id, position) VALUES ($1, $2, $3)`,
					roundID, v, pos); err != nil {
					return err
				}
			}
			stmt, err := tx.Prepare(`INSERT INTO ballots (round_id, user_id, neighbourhood_id, marks, receipt, cast_at)
				VALUES ($1, $2, $3, $4, $5, $6)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			marks := marksPool(method, cands, rng)
			start := rng.IntN(p.Residents)
			voters := make([]int, n)
			for i := range voters {
				voters[i] = (start + i) % p.Residents
			}
			slices.Sort(voters) // in key order: the unique index grows at its end
			for _, ri := range voters {
				serial++
				cast := opened.Add(time.Duration(rng.Int64N(int64(closes.Sub(opened)))))
				if _, err := stmt.Exec(roundID, residentID(ri), residentHood[ri], marks.pick(rng), receipt(serial), cast); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("round %d: %w", roundID, err)
		}
		ballotsDone += n
		if (r+1)%10 == 0 || r+1 == len(roundTerms) {
			pr.say("rounds %d/%d, ballots %d/%d", r+1, p.Rounds, ballotsDone, p.Ballots)
		}
	}

	// The open round: all four wordings of the last term, approval.
	openID := int64(p.Rounds + 1)
	err = inTx(ctx, db, func(tx *sql.Tx) error {
		first := agreedOrFirst(versions, int64(openTerm))
		if _, err := tx.Exec(`INSERT INTO rounds (id, term_id, method, quorum, threshold_pct, opened_by, opened_at, closes_at)
			VALUES ($1, $2, 'approval', 100, 40, $3, $4, $5)`, openID, openTerm, facilitator.id, now.Add(-24*time.Hour),
			now.Add(180*24*time.Hour)); err != nil {
			return err
		}
		for pos := range 4 {
			if _, err := tx.Exec(`INSERT INTO round_candidates (round_id, version_id, position) VALUES ($1, $2, $3)`,
				openID, first+int64(pos), pos); err != nil {
				return err
			}
		}
		doc, err := json.Marshal(p)
		if err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO settings (key, value) VALUES ($1, $2)`, datasetMarker, doc)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("open round: %w", err)
	}
	if err := settle(ctx, db, dsn); err != nil {
		return 0, err
	}
	if err := db.Close(); err != nil {
		return 0, err
	}

	// Close the rounds through the store: it counts, stores the result and
	// switches the agreed wording, as the server does.
	if len(roundIDs) > 0 {
		st, err = store.Open(dsn)
		if err != nil {
			return 0, err
		}
		var total, worst time.Duration
		for _, id := range roundIDs {
			t0 := time.Now()
			if _, err := st.CloseRound(ctx, id); err != nil {
				st.Close()
				return 0, err
			}
			d := time.Since(t0)
			total += d
			worst = max(worst, d)
		}
		if err := st.Close(); err != nil {
			return 0, err
		}
		pr.say("closed %d rounds through the store (CloseRound of %d ballots: mean %s, slowest %s)",
			len(roundIDs), perRound, (total / time.Duration(len(roundIDs))).Round(time.Millisecond), worst.Round(time.Millisecond))
	}
	took := time.Since(pr.start)
	if size, err := datasetSize(ctx, dsn); err == nil {
		pr.say("done in %s: %.0f MB", took.Round(100*time.Millisecond), float64(size)/1e6)
	}
	return took, nil
}

// agreedOrFirst returns the id of a term's first version.
func agreedOrFirst(versions []*genVersion, termID int64) int64 {
	for _, v := range versions {
		if v.termID == termID {
			return v.id
		}
	}
	return 0
}

// residentID is the user id of the i-th resident: after the facilitator
// (1) and the twelve partners.
func residentID(i int) int64 { return int64(100 + i) }

// renderAll renders every version on every core.
func renderAll(versions []*genVersion, exists func(string) bool) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var first error
	next := make(chan *genVersion, 256)
	for range runtime.NumCPU() {
		wg.Go(func() {
			for v := range next {
				res, err := markdown.Render(v.md, exists)
				if err != nil {
					mu.Lock()
					first = cmpOr(first, fmt.Errorf("render version %d: %w", v.id, err))
					mu.Unlock()
					continue
				}
				v.res = res
				v.summary = markdown.Summary(res.Text, 160)
			}
		})
	}
	for _, v := range versions {
		next <- v
	}
	close(next)
	wg.Wait()
	return first
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// marks is the ways one round's ballots are marked, as stored, with how
// often each is chosen.
type marks struct {
	enc     []string
	weights []int
	total   int
}

func (m *marks) pick(rng *rand.Rand) string {
	x := rng.IntN(m.total)
	for i, w := range m.weights {
		if x < w {
			return m.enc[i]
		}
		x -= w
	}
	return m.enc[len(m.enc)-1]
}

// marksPool lists every way to mark a ballot over cands (approval: every
// non-empty set; ranked: every ranking of one to all), encoded as the store
// encodes them, weighted so that one wording is the favourite.
func marksPool(method string, cands []int64, rng *rand.Rand) *marks {
	m := &marks{}
	fav := cands[rng.IntN(len(cands))]
	add := func(enc string, favoured bool, size int) {
		w := 10 / size
		if favoured {
			w *= 3
		}
		w = max(w, 1)
		m.enc, m.weights, m.total = append(m.enc, enc), append(m.weights, w), m.total+w
	}
	if method == "approval" {
		for set := 1; set < 1<<len(cands); set++ {
			var ids []int64
			has := false
			for i, c := range cands {
				if set&(1<<i) != 0 {
					ids = append(ids, c)
					has = has || c == fav
				}
			}
			add(approvalMarks(ids), has, len(ids))
		}
		return m
	}
	var perms func(prefix []int64, rest []int64)
	perms = func(prefix []int64, rest []int64) {
		if len(prefix) > 0 {
			ranks := map[string]int{}
			for i, id := range prefix {
				ranks[strconv.FormatInt(id, 10)] = i + 1
			}
			enc, _ := json.Marshal(ranks)
			add(string(enc), prefix[0] == fav, len(prefix))
		}
		for i, c := range rest {
			others := append(slices.Clone(rest[:i]), rest[i+1:]...)
			perms(append(slices.Clone(prefix), c), others)
		}
	}
	perms(nil, cands)
	return m
}

// approvalMarks encodes ticked ids as the store does: sorted JSON.
func approvalMarks(ids []int64) string {
	ids = slices.Sorted(slices.Values(ids))
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// receiptAlphabet is the store's code alphabet.
const receiptAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// receipt makes the n-th receipt, "K7PXM-3MQ9A" as the store writes them.
// n -> n*m+c mod 29^10, with m prime to 29, permutes 0..29^10-1, so
// receipts look random and never repeat.
func receipt(n int64) string {
	const space = 420707233300201 // 29^10
	const m, c = 260000000000017, 123456789012345
	hi, lo := bits.Mul64(uint64(n), m)
	x := (bits.Rem64(hi, lo, space) + c) % space
	var b [11]byte
	for i := 10; i >= 0; i-- {
		if i == 5 {
			b[i] = '-'
			continue
		}
		b[i] = receiptAlphabet[x%29]
		x /= 29
	}
	return string(b[:])
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// inTx runs fn in one transaction.
func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
