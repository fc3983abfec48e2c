package server

import (
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"

	"wordgarden/server/opendata"
)

// routes registers every route with its access rule, in one place. A route
// registered any other way has no rule, and the authorisation test fails.
// Pages wrapped in s.shared are the same for every visitor and are cached
// (cache.go).
func (s *Server) routes(static fs.FS) {
	// Reading: everyone, signed in or not.
	s.handle(http.MethodGet, "/", anyone, s.shared(s.homeShow))
	s.handle(http.MethodGet, "/terms/:slug", anyone, s.shared(s.termShow))
	s.handle(http.MethodGet, "/terms/:slug/history", anyone, s.shared(s.termHistory))
	s.handle(http.MethodGet, "/terms/:slug/diff", anyone, s.shared(s.termDiff))
	s.handle(http.MethodGet, "/versions/:id", anyone, s.shared(s.versionShow))
	s.handle(http.MethodGet, "/search", anyone, s.shared(s.termSearch))
	s.handle(http.MethodGet, "/api/v1/terms", anyone, apiLanguage(s.shared(s.apiTerms)))
	s.handle(http.MethodGet, "/api/v1/terms/:slug", anyone, apiLanguage(s.shared(s.apiTerm)))
	s.handle(http.MethodGet, "/static/*", anyone, staticFiles(static))
	s.handle(http.MethodGet, "/rounds", anyone, s.roundList)
	s.handle(http.MethodGet, "/rounds/:id", anyone, s.roundShow)
	s.handle(http.MethodGet, "/rounds/:id/results", anyone, s.roundResults)
	s.handle(http.MethodGet, "/rounds/:id/results.json", anyone, s.roundResultsJSON)
	s.handle(http.MethodGet, "/rounds/:id/ballots.json", anyone, s.roundBallotsJSON)
	s.handle(http.MethodGet, "/rounds/:id/ballots.csv", anyone, s.roundBallotsCSV)
	s.handle(http.MethodGet, "/rounds/:id/ballots", anyone, s.receiptCheck)
	s.handle(http.MethodGet, "/api/v1/rounds", anyone, s.apiRounds)
	s.handle(http.MethodGet, "/api/v1/rounds/:id", anyone, s.apiRound)
	s.handle(http.MethodGet, "/api/v1/terms/:slug/embed", anyone, frameable(s.shared(s.termEmbed)))
	s.handle(http.MethodGet, "/api/openapi.json", anyone, openAPI)

	// The operator's view: /metrics answers only the address ranges
	// Config.MetricsAllow names (serveMetrics), whoever is signed in.
	s.handle(http.MethodGet, "/healthz", anyone, s.healthCheck)
	s.handle(http.MethodGet, "/metrics", anyone, s.metricsShow)

	// Following changes, on paper and as open data: everyone.
	s.handle(http.MethodGet, "/changes", anyone, s.shared(s.changeList))
	s.handle(http.MethodGet, "/feed.atom", anyone, s.sharedPerHost(s.feedAll))
	s.handle(http.MethodGet, "/rounds.atom", anyone, s.sharedPerHost(s.feedRounds))
	s.handle(http.MethodGet, "/terms/:slug/feed.atom", anyone, s.sharedPerHost(s.feedTerm))
	s.handle(http.MethodGet, "/glossary/print", anyone, s.sharedPerHost(s.glossaryPrint))
	for _, f := range opendata.Formats {
		s.handle(http.MethodGet, "/"+f.File, anyone, s.openData(f, s.sharedPerHost(s.glossaryData(f))))
	}

	// Signing in and out.
	s.handle(http.MethodGet, "/login", anyone, s.sessionNew)
	s.handle(http.MethodPost, "/login", anyone, s.sessionCreate)
	s.handle(http.MethodPost, "/logout", signedIn, s.sessionDelete)
	s.handle(http.MethodGet, "/join", anyone, s.residentNew)
	s.handle(http.MethodPost, "/join", anyone, s.residentCreate)
	s.handle(http.MethodGet, "/reset", anyone, s.resetNew)
	s.handle(http.MethodPost, "/reset", anyone, s.resetRedeem)
	s.handle(http.MethodGet, "/welcome", anyone, s.welcomeNew)

	// One's own account: anyone signed in.
	s.handle(http.MethodGet, "/account", signedIn, s.accountShow)
	s.handle(http.MethodPost, "/account/name", signedIn, s.accountRename)
	s.handle(http.MethodPost, "/account/password", signedIn, s.passwordChange)

	// Voting: residents.
	s.handle(http.MethodPost, "/rounds/:id/ballot", residents, s.ballotCast)

	// Commenting and reporting comments: anyone signed in.
	s.handle(http.MethodPost, "/versions/:id/comments", signedIn, s.commentCreate)
	s.handle(http.MethodPost, "/comments/:id/report", signedIn, s.commentReport)

	// Writing: partners and facilitators.
	s.handle(http.MethodGet, "/terms/new", writers, s.termNew)
	s.handle(http.MethodPost, "/terms", writers, s.termCreate)
	s.handle(http.MethodGet, "/terms/:slug/propose", writers, s.versionPropose)
	s.handle(http.MethodPost, "/terms/:slug/versions", writers, s.versionCreate)
	s.handle(http.MethodGet, "/versions/:id/translate", writers, s.translationNew)
	s.handle(http.MethodPost, "/versions/:id/translate", writers, s.translationCreate)
	s.handle(http.MethodGet, "/terms/:slug/easyread/new", writers, s.easyReadNew)
	s.handle(http.MethodPost, "/terms/:slug/easyread", writers, s.easyReadCreate)

	// Running the place: facilitators.
	s.handle(http.MethodGet, "/admin", facilitators, s.adminShow)
	s.handle(http.MethodPost, "/admin/organisations", facilitators, s.organisationCreate)
	s.handle(http.MethodPost, "/admin/users", facilitators, s.userCreate)
	s.handle(http.MethodGet, "/admin/neighbourhoods", facilitators, s.neighbourhoodList)
	s.handle(http.MethodPost, "/admin/neighbourhoods", facilitators, s.neighbourhoodCreate)
	s.handle(http.MethodPost, "/admin/invites", facilitators, s.inviteCreate)
	s.handle(http.MethodGet, "/admin/words", facilitators, s.wordList)
	s.handle(http.MethodPost, "/admin/words", facilitators, s.wordCreate)
	s.handle(http.MethodPost, "/admin/words/:id/delete", facilitators, s.wordDelete)
	s.handle(http.MethodGet, "/terms/:slug/rounds/new", facilitators, s.roundNew)
	s.handle(http.MethodPost, "/terms/:slug/rounds", facilitators, s.roundOpen)
	s.handle(http.MethodGet, "/rounds/:id/close", facilitators, s.closureNew)
	s.handle(http.MethodPost, "/rounds/:id/close", facilitators, s.roundClose)
	s.handle(http.MethodPost, "/rounds/:id/extend", facilitators, s.roundExtend)
	s.handle(http.MethodPost, "/rounds/:id/cancel", facilitators, s.roundCancel)
	s.handle(http.MethodGet, "/rounds/:id/paper", facilitators, s.paperShow)
	s.handle(http.MethodPost, "/rounds/:id/paper/prints", facilitators, s.paperPrint)
	s.handle(http.MethodGet, "/rounds/:id/paper/prints/:print", facilitators, s.printShow)
	s.handle(http.MethodPost, "/rounds/:id/paper/entries", facilitators, s.paperEnter)
	s.handle(http.MethodPost, "/comments/:id/hide", facilitators, s.commentHide)
	s.handle(http.MethodGet, "/admin/reports", facilitators, s.reportList)

	// Managing accounts, organisations and neighbourhoods: facilitators.
	s.handle(http.MethodGet, "/admin/people", facilitators, s.personList)
	s.handle(http.MethodGet, "/admin/people/:id", facilitators, s.personShow)
	s.handle(http.MethodPost, "/admin/people/:id/name", facilitators, s.personRename)
	s.handle(http.MethodPost, "/admin/people/:id/disable", facilitators, s.personDisable)
	s.handle(http.MethodPost, "/admin/people/:id/enable", facilitators, s.personEnable)
	s.handle(http.MethodPost, "/admin/people/:id/sign-out", facilitators, s.personSignOut)
	s.handle(http.MethodPost, "/admin/people/:id/reset", facilitators, s.resetCreate)
	s.handle(http.MethodGet, "/admin/registrations/new", facilitators, s.registrationNew)
	s.handle(http.MethodPost, "/admin/registrations", facilitators, s.registrationCreate)
	s.handle(http.MethodGet, "/admin/people/:id/export.json", facilitators, s.personExport)
	s.handle(http.MethodGet, "/admin/people/:id/erase", facilitators, s.erasureNew)
	s.handle(http.MethodPost, "/admin/people/:id/erase", facilitators, s.personErase)
	s.handle(http.MethodGet, "/admin/organisations/:id", facilitators, s.organisationShow)
	s.handle(http.MethodPost, "/admin/organisations/:id/name", facilitators, s.organisationRename)
	s.handle(http.MethodGet, "/admin/neighbourhoods/:slug", facilitators, s.neighbourhoodShow)
	s.handle(http.MethodPost, "/admin/neighbourhoods/:slug/name", facilitators, s.neighbourhoodRename)
	s.handle(http.MethodPost, "/admin/neighbourhoods/:slug/invites/cancel", facilitators, s.inviteCancel)
	s.handle(http.MethodPost, "/admin/neighbourhoods/:slug/invites/reprint", facilitators, s.inviteReprint)
}

// handle registers a route guarded by its access rule. A GET route answers
// HEAD too, as monitors and link checkers ask: net/http sends the headers
// of the GET answer and drops its body.
func (s *Server) handle(method, path string, rule access, h echo.HandlerFunc) {
	s.rules[method+" "+path] = rule
	s.e.Add(method, path, h, require(rule))
	if method == http.MethodGet {
		s.rules[http.MethodHead+" "+path] = rule
		s.e.Add(http.MethodHead, path, h, require(rule))
	}
}

// staticFiles serves the embedded CSS and scripts. They change only with the
// binary, so browsers may keep them for a day.
func staticFiles(static fs.FS) echo.HandlerFunc {
	files := http.StripPrefix("/static/", http.FileServer(http.FS(static)))
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}
