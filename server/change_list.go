package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
	"wordgarden/server/tally"
)

// changesPageSize is how many changes a page of /changes and a feed show.
const changesPageSize = 50

// changeFilter is a choice of kinds of change, as ?kind= names it.
type changeFilter struct {
	Name  string // "" for every kind
	Label string // the catalogue's id of its name
	Kinds []model.ChangeKind
	Feed  changeFeed // the Atom feed that has these changes
}

// changeFeed is a site-wide Atom feed of changes. Its words are the
// catalogue's ids.
type changeFeed struct {
	Href   string
	Title  string // the feed's title: "wordgarden: all changes"
	Follow string // what a reader follows with it: "Follow every change in a feed reader:"
	Link   string // the link to it: "Atom feed of all changes"
}

var (
	allChangesFeed = changeFeed{"/feed.atom", "feed.all", "changes.feed.all.follow", "changes.feed.all.link"}
	roundsFeed     = changeFeed{"/rounds.atom", "feed.rounds", "changes.feed.rounds.follow", "changes.feed.rounds.link"}
)

// changeFilters are the choices /changes offers.
var changeFilters = []changeFilter{
	{"", "changes.filter.all", nil, allChangesFeed},
	{"terms", "changes.filter.terms", []model.ChangeKind{model.ChangeTerm}, allChangesFeed},
	{"versions", "changes.filter.versions", []model.ChangeKind{model.ChangeVersion}, allChangesFeed},
	{"rounds", "changes.filter.rounds", []model.ChangeKind{model.ChangeOpened, model.ChangeClosed, model.ChangeSettled}, roundsFeed},
	{"settled", "changes.filter.settled", []model.ChangeKind{model.ChangeSettled}, roundsFeed},
	{"comments", "changes.filter.comments", []model.ChangeKind{model.ChangeComment}, allChangesFeed},
}

// changeKindNames lists the kinds ?kind= takes, for the message that
// answers one it does not: "terms, versions, rounds, settled or comments".
// The names are the address's, the same in every language.
func changeKindNames(lz *i18n.Localizer) string {
	var names []string
	for _, f := range changeFilters {
		if f.Name != "" {
			names = append(names, f.Name)
		}
	}
	return lz.T("changes.names", "List", strings.Join(names[:len(names)-1], ", "), "Last", names[len(names)-1])
}

func changeFilterNamed(name string) (changeFilter, bool) {
	for _, f := range changeFilters {
		if f.Name == name {
			return f, true
		}
	}
	return changeFilter{}, false
}

// changeItem is a change as pages and feeds tell it.
type changeItem struct {
	model.Change
	Label   string // what happened, such as "Wording agreed"
	Href    string // the page that shows it, on this site
	Summary string // one line of plain text
}

// HasAuthor reports whether the change is a wording someone wrote.
func (ci changeItem) HasAuthor() bool {
	return ci.Kind == model.ChangeTerm || ci.Kind == model.ChangeVersion
}

// describeChange says what a change was, in words.
func (s *Server) describeChange(lz *i18n.Localizer, ch model.Change) changeItem {
	ci := changeItem{Change: ch}
	switch ch.Kind {
	case model.ChangeTerm:
		ci.Label, ci.Href, ci.Summary = lz.T("changes.label.new_term"), "/terms/"+ch.TermSlug, ch.Version.Summary
	case model.ChangeVersion:
		ci.Label, ci.Href, ci.Summary = lz.T("changes.label.new_wording"), "/versions/"+strconv.FormatInt(ch.Version.ID, 10), ch.Version.Summary
		if ch.Version.ParentID != 0 {
			ci.Label = lz.T("changes.label.amended")
		}
	case model.ChangeOpened:
		ci.Label, ci.Href = lz.T("changes.label.opened"), "/rounds/"+strconv.FormatInt(ch.RoundID, 10)
		ci.Summary = lz.T("changes.summary.opened", "When", lz.Moment(ch.ClosesAt.In(s.loc)))
	case model.ChangeClosed:
		ci.Label, ci.Href = lz.T("changes.label.closed"), "/rounds/"+strconv.FormatInt(ch.RoundID, 10)+"/results"
		ci.Summary = lz.T("changes.summary.closed", "Reason", ch.Reason, "Why", whyNoWording(lz, ch))
	case model.ChangeSettled:
		ci.Label, ci.Href = lz.T("changes.label.settled"), "/rounds/"+strconv.FormatInt(ch.RoundID, 10)+"/results"
		by := lz.T("changes.summary.by_author", "Name", ch.Version.AuthorName)
		if ch.Version.AuthorRole == "import" {
			by = lz.T("changes.summary.by_import")
		}
		ci.Summary = lz.T("changes.summary.settled", "By", by, "Count", ch.Ballots, "Summary", ch.Version.Summary)
	case model.ChangeComment:
		cm := ch.Comment
		ci.Label, ci.Href = lz.T("changes.label.comment"), commentLink(cm)
		if cm.ParentID != 0 {
			ci.Label = lz.T("changes.label.reply")
		}
		ci.Summary = lz.T("changes.summary.comment", "Kind", commentKindPhrase(lz, cm.Kind),
			"From", speaksFrom(lz, cm), "Version", cm.VersionID)
	}
	return ci
}

// whyNoWording says in a few words why a closed vote agreed nothing, from
// its outcome. (The tally's own reason, stored with the result, is English
// only.)
func whyNoWording(lz *i18n.Localizer, ch model.Change) string {
	switch ch.Outcome {
	case tally.NoQuorum:
		if ch.Ballots == 0 {
			return lz.T("changes.why.nobody")
		}
		return lz.T("changes.why.no_quorum", "Count", ch.Ballots)
	case tally.Tie:
		return lz.T("changes.why.tie")
	case tally.BelowThreshold:
		return lz.T("changes.why.below_threshold")
	}
	return lz.T("changes.why.unknown")
}

// commentKindPhrase is "A question", "A suggestion" or "Tried it".
func commentKindPhrase(lz *i18n.Localizer, k model.CommentKind) string {
	switch k {
	case model.Question:
		return lz.T("changes.comment.question")
	case model.Suggestion:
		return lz.T("changes.comment.suggestion")
	}
	return lz.T("changes.comment.tried_it")
}

// speaksFrom is a comment's writer and where they speak from, as plain
// text: "Rae, resident of Peckham", "Sam, Southwark Council (statutory)".
func speaksFrom(lz *i18n.Localizer, cm model.Comment) string {
	switch cm.AuthorRole {
	case model.Partner:
		return lz.T("changes.from.partner", "Name", cm.AuthorName, "Organisation", cm.OrganisationName,
			"Sector", sectorInSentence(lz, cm.Sector))
	case model.Resident:
		if cm.ByFormerResident() {
			return lz.T("changes.from.former", "Neighbourhood", cm.NeighbourhoodName)
		}
		return lz.T("changes.from.resident", "Name", cm.AuthorName, "Neighbourhood", cm.NeighbourhoodName)
	}
	return lz.T("changes.from.facilitator", "Name", cm.AuthorName)
}

// changeDay is the changes of one day, as /changes groups them.
type changeDay struct {
	Day     time.Time
	Changes []changeItem
}

type changesView struct {
	page
	Filters []changeFilter
	Filter  changeFilter
	Days    []changeDay
	Older   string // the address of the next page, or ""
	Paged   bool   // this is not the first page
}

// changeList is the recent changes, newest first, a page at a time; the
// next page starts after the last change shown (?before=), so new changes
// never push one from one page onto the next.
func (s *Server) changeList(c echo.Context) error {
	lz := i18n.For(langOf(c))
	name := c.QueryParam("kind")
	f, ok := changeFilterNamed(name)
	if !ok {
		return badRequest(tr(c, "changes.bad_kind", "Name", name, "Names", changeKindNames(lz)))
	}
	var before model.Cursor
	if raw := c.QueryParam("before"); raw != "" {
		var err error
		if before, err = model.ParseCursor(raw); err != nil {
			return badRequest(tr(c, "changes.bad_before"))
		}
	}
	list, err := s.store.Changes(c.Request().Context(), model.ChangeQuery{Kinds: f.Kinds, Before: before, Limit: changesPageSize + 1})
	if err != nil {
		return err
	}
	v := changesView{page: s.newPage(c, tr(c, "changes.title")), Filters: changeFilters, Filter: f, Paged: !before.IsZero()}
	if f.Name != "" {
		v.Title = tr(c, "changes.title_filter", "Filter", lz.T(f.Label))
	}
	v.Feeds = []feedLink{{Title: lz.T(f.Feed.Title), Href: f.Feed.Href}}
	if len(list) > changesPageSize {
		list = list[:changesPageSize]
		q := url.Values{}
		if f.Name != "" {
			q.Set("kind", f.Name)
		}
		q.Set("before", list[len(list)-1].Cursor().String())
		v.Older = "/changes?" + q.Encode()
	}
	for _, ch := range list {
		day := ch.At.In(s.loc)
		day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, s.loc)
		if n := len(v.Days); n == 0 || !v.Days[n-1].Day.Equal(day) {
			v.Days = append(v.Days, changeDay{Day: day})
		}
		d := &v.Days[len(v.Days)-1]
		d.Changes = append(d.Changes, s.describeChange(lz, ch))
	}
	return s.render(c, http.StatusOK, "change_list", v)
}
