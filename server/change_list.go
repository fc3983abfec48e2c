package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/i18n"
	"wordgarden/server/model"
)

// changesPageSize is how many changes a page of /changes and a feed show.
const changesPageSize = 50

// changeFilter is a choice of kinds of change, as ?kind= names it.
type changeFilter struct {
	Name  string // "" for every kind
	Label string
	Kinds []model.ChangeKind
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
	{"terms", "New terms", []model.ChangeKind{model.ChangeTerm}, allChangesFeed},
	{"versions", "New wordings", []model.ChangeKind{model.ChangeVersion}, allChangesFeed},
	{"rounds", "Votes", []model.ChangeKind{model.ChangeOpened, model.ChangeClosed, model.ChangeSettled}, roundsFeed},
	{"settled", "Agreed wordings", []model.ChangeKind{model.ChangeSettled}, roundsFeed},
	{"comments", "Comments", []model.ChangeKind{model.ChangeComment}, allChangesFeed},
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
		ci.Label, ci.Href, ci.Summary = "New term", "/terms/"+ch.TermSlug, ch.Version.Summary
	case model.ChangeVersion:
		ci.Label, ci.Href, ci.Summary = "New wording", "/versions/"+strconv.FormatInt(ch.Version.ID, 10), ch.Version.Summary
		if ch.Version.ParentID != 0 {
			ci.Label = "Amended wording"
		}
	case model.ChangeOpened:
		ci.Label, ci.Href = "Vote opened", "/rounds/"+strconv.FormatInt(ch.RoundID, 10)
		ci.Summary = "Residents can vote until " + lz.Moment(ch.ClosesAt.In(s.loc)) + "."
	case model.ChangeClosed:
		ci.Label, ci.Href = "Vote closed", "/rounds/"+strconv.FormatInt(ch.RoundID, 10)+"/results"
		ci.Summary = "No wording was agreed. " + ch.Reason
	case model.ChangeSettled:
		ci.Label, ci.Href = "Wording agreed", "/rounds/"+strconv.FormatInt(ch.RoundID, 10)+"/results"
		by := "the wording by " + ch.Version.AuthorName
		if ch.Version.AuthorRole == "import" {
			by = "the imported wording"
		}
		ci.Summary = fmt.Sprintf("Residents chose %s (%s): %s",
			by, plural(ch.Ballots, "ballot", "ballots"), ch.Version.Summary)
	case model.ChangeComment:
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
func commentKindPhrase(k model.CommentKind) string {
	switch k {
	case model.Question:
		return "A question"
	case model.Suggestion:
		return "A suggestion"
	}
	return "Tried it"
}

// speaksFrom is a comment's writer and where they speak from, as plain
// text: "Rae, resident of Peckham", "Sam, Southwark Council (statutory)".
func speaksFrom(cm model.Comment) string {
	switch cm.AuthorRole {
	case model.Partner:
		return fmt.Sprintf("%s, %s (%s)", cm.AuthorName, cm.OrganisationName, strings.ToLower(cm.Sector.Label()))
	case model.Resident:
		if cm.ByFormerResident() {
			return model.FormerResident + " of " + cm.NeighbourhoodName
		}
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
	name := c.QueryParam("kind")
	f, ok := changeFilterNamed(name)
	if !ok {
		return badRequest(fmt.Sprintf("There is no kind of change called “%s”. Choose %s, or leave it out for every change.", name, changeKindNames()))
	}
	var before model.Cursor
	if raw := c.QueryParam("before"); raw != "" {
		var err error
		if before, err = model.ParseCursor(raw); err != nil {
			return badRequest("This page of changes has an address the site did not make. Start again from the newest changes.")
		}
	}
	list, err := s.store.Changes(c.Request().Context(), model.ChangeQuery{Kinds: f.Kinds, Before: before, Limit: changesPageSize + 1})
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
		d.Changes = append(d.Changes, s.describeChange(i18n.For(langOf(c)), ch))
	}
	return s.render(c, http.StatusOK, "change_list", v)
}
