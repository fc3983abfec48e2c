package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/store"
)

// changesPageSize is how many changes a page of /changes and a feed show.
const changesPageSize = 50

// changeFilter is a choice of kinds of change, as ?kind= names it.
type changeFilter struct {
	Name  string // "" for every kind
	Label string
	Kinds []store.ChangeKind
	Feed  changeFeed // the Atom feed that has these changes
}

// changeFeed is a site-wide Atom feed of changes.
type changeFeed struct {
	Href   string
	Title  string // what it has: "all changes"
	Follow string // what a reader follows with it: "every change"
}

var (
	allChangesFeed = changeFeed{"/feed.atom", "all changes", "every change"}
	roundsFeed     = changeFeed{"/rounds.atom", "votes opening and closing", "votes"}
)

// changeFilters are the choices /changes offers.
var changeFilters = []changeFilter{
	{"", "All changes", nil, allChangesFeed},
	{"terms", "New terms", []store.ChangeKind{store.ChangeTerm}, allChangesFeed},
	{"versions", "New wordings", []store.ChangeKind{store.ChangeVersion}, allChangesFeed},
	{"rounds", "Votes", []store.ChangeKind{store.ChangeOpened, store.ChangeClosed, store.ChangeSettled}, roundsFeed},
	{"settled", "Agreed wordings", []store.ChangeKind{store.ChangeSettled}, roundsFeed},
	{"comments", "Comments", []store.ChangeKind{store.ChangeComment}, allChangesFeed},
}

// changeKindNames lists the kinds ?kind= takes, for the message that
// answers one it does not: "terms, versions, rounds, settled or comments".
func changeKindNames() string {
	var names []string
	for _, f := range changeFilters {
		if f.Name != "" {
			names = append(names, f.Name)
		}
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
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
	store.Change
	Label   string // what happened, such as "Wording agreed"
	Href    string // the page that shows it, on this site
	Summary string // one line of plain text
}

// HasAuthor reports whether the change is a wording someone wrote.
func (ci changeItem) HasAuthor() bool {
	return ci.Kind == store.ChangeTerm || ci.Kind == store.ChangeVersion
}

// describeChange says what a change was, in words.
func (s *Server) describeChange(ch store.Change) changeItem {
	ci := changeItem{Change: ch}
	switch ch.Kind {
	case store.ChangeTerm:
		ci.Label, ci.Href, ci.Summary = "New term", "/terms/"+ch.TermSlug, ch.Version.Summary
	case store.ChangeVersion:
		ci.Label, ci.Href, ci.Summary = "New wording", "/versions/"+strconv.FormatInt(ch.Version.ID, 10), ch.Version.Summary
		if ch.Version.ParentID != 0 {
			ci.Label = "Amended wording"
		}
	case store.ChangeOpened:
		ci.Label, ci.Href = "Vote opened", "/rounds/"+strconv.FormatInt(ch.RoundID, 10)
		ci.Summary = "Residents can vote until " + ch.ClosesAt.In(s.loc).Format(timeLayout) + "."
	case store.ChangeClosed:
		ci.Label, ci.Href = "Vote closed", "/rounds/"+strconv.FormatInt(ch.RoundID, 10)+"/results"
		ci.Summary = "No wording was agreed. " + ch.Reason
	case store.ChangeSettled:
		ci.Label, ci.Href = "Wording agreed", "/rounds/"+strconv.FormatInt(ch.RoundID, 10)+"/results"
		by := "the wording by " + ch.Version.AuthorName
		if ch.Version.AuthorRole == "import" {
			by = "the imported wording"
		}
		ci.Summary = fmt.Sprintf("Residents chose %s (%s): %s",
			by, plural(ch.Ballots, "ballot", "ballots"), ch.Version.Summary)
	case store.ChangeComment:
		cm := ch.Comment
		ci.Label, ci.Href = "Comment", commentLink(cm)
		if cm.ParentID != 0 {
			ci.Label = "Reply"
		}
		ci.Summary = fmt.Sprintf("%s from %s on version %d.", commentKindPhrase(cm.Kind), speaksFrom(cm), cm.VersionID)
	}
	return ci
}

// commentKindPhrase is "A question", "A suggestion" or "Tried it".
func commentKindPhrase(k store.CommentKind) string {
	switch k {
	case store.Question:
		return "A question"
	case store.Suggestion:
		return "A suggestion"
	}
	return "Tried it"
}

// speaksFrom is a comment's writer and where they speak from, as plain
// text: "Rae, resident of Peckham", "Sam, Southwark Council (statutory)".
func speaksFrom(cm store.Comment) string {
	switch cm.AuthorRole {
	case store.Partner:
		return fmt.Sprintf("%s, %s (%s)", cm.AuthorName, cm.OrganisationName, strings.ToLower(cm.Sector.Label()))
	case store.Resident:
		return cm.AuthorName + ", resident of " + cm.NeighbourhoodName
	}
	return cm.AuthorName + ", facilitator"
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
	if err := s.closeDueRounds(c); err != nil {
		return err
	}
	name := c.QueryParam("kind")
	f, ok := changeFilterNamed(name)
	if !ok {
		return badRequest(fmt.Sprintf("There is no kind of change called “%s”. Choose %s, or leave it out for every change.", name, changeKindNames()))
	}
	var before store.Cursor
	if raw := c.QueryParam("before"); raw != "" {
		var err error
		if before, err = store.ParseCursor(raw); err != nil {
			return badRequest("This page of changes has an address the site did not make. Start again from the newest changes.")
		}
	}
	list, err := s.store.Changes(c.Request().Context(), store.ChangeQuery{Kinds: f.Kinds, Before: before, Limit: changesPageSize + 1})
	if err != nil {
		return err
	}
	v := changesView{page: s.newPage(c, "Recent changes"), Filters: changeFilters, Filter: f, Paged: !before.IsZero()}
	if f.Name != "" {
		v.Title = "Recent changes: " + f.Label
	}
	v.Feeds = []feedLink{{Title: "wordgarden: " + f.Feed.Title, Href: f.Feed.Href}}
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
		d.Changes = append(d.Changes, s.describeChange(ch))
	}
	return s.render(c, http.StatusOK, "change_list", v)
}
