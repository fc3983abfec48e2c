package server

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"wordgarden/server/ratelimit"
)

// The limits on guessing passwords and invite codes. Each takes its try
// before the guess is checked, so that many requests at once get no more
// checks than one after another; a request a limit refuses is checked by
// nobody and costs nothing. A try that was not a wrong guess (a right
// password, a code that worked, a name already taken) is given back.
//
// Sign-in, for the account typed (email or name, in any case) from an
// address (clientAddr), with Config's LoginBurst and LoginRefill (5 and a
// minute):
//
//   - the account from this address (loginAt): 5 tries, then one a
//     minute. This is the only limit one's own mistakes can hit, and an
//     attacker elsewhere cannot touch it. A right password clears it.
//   - the address, over all accounts (loginIP): 20 tries, then one a
//     minute, so that one address cannot try a password on many accounts.
//   - the account, over all addresses (loginFor): 20 tries, then one every
//     10 minutes, so that many addresses together get about 150 guesses a
//     day at one password. It slows guessing down and locks no one out: a
//     refused try waits minutes, not hours.
//
// The last two do not count an address the account signed in from in the
// last 30 days (its usual address, kept in usual): there, the account's
// own limit is the only one, so guessing from elsewhere never keeps a
// facilitator out at her usual desk. From a new address in the middle of
// such an attack she waits at most 10 minutes for a try.
//
// Joining, by invite code:
//
//   - the address (joinIP): 40 codes that did not work, then one a
//     minute. A room at a community event shares one address: 200 people
//     joining in an hour on the hall's wi-fi, one in four mistyping once,
//     is 50 wrong codes, which this lets through with room to spare, so
//     mistyped codes never stop the next person's right one.
//   - the whole site (joinAll, the ceiling): 100 wrong codes, then one
//     every 2 seconds, 1,800 an hour: 36 such rooms at once. A code is 8
//     characters from 29, one of 5e11; with 10,000 unspent codes a guess
//     hits once in 50 million, so guessing flat out at the ceiling finds
//     one code in about three years, and shows in the log and in /metrics
//     as 429s on POST /join long before.
//
// At the ceiling every join waits, right codes too: until it is checked a
// right code looks like a guess, and checking it would be the guess the
// ceiling is there to refuse. The wait is seconds while the ceiling
// refills, the code is not spent, and the page says to try again. Keeping
// the ceiling shut takes wrong codes from 30 addresses or more at once,
// each at its own limit.
const (
	joinPerAddress       = 40
	joinPerAddressRefill = time.Minute
	joinCeiling          = 100
	joinCeilingRefill    = 2 * time.Second
	// usualFor is how long an address stays usual for an account after a
	// sign-in from it.
	usualFor = 30 * 24 * time.Hour
)

// A limiter counts tries per key: ratelimit.Limiter in this process's
// memory, or store.Limiter in a PostgreSQL database that other servers
// share, so that a guesser gains nothing from a load balancer.
type limiter interface {
	Take(key string) (ok bool, retryAfter time.Duration)
	Return(key string)
	Reset(key string)
	RetryAfter(key string) time.Duration
}

// recent remembers keys for a while: ratelimit.Recent or store.Recent.
type recent interface {
	Add(key string)
	Has(key string) bool
}

// makeLimits sets up the limits, in memory or, when the store says other
// servers may share its database, in the database.
func (s *Server) makeLimits(cfg Config) {
	newLimiter := func(name string, burst int, per time.Duration) limiter {
		if cfg.Store.SharesLimits() {
			return cfg.Store.Limiter(name, burst, per)
		}
		return ratelimit.New(burst, per)
	}
	s.loginIP = newLimiter("login-address", cfg.LoginBurst*4, cfg.LoginRefill)
	s.loginFor = newLimiter("login-account", cfg.LoginBurst*4, cfg.LoginRefill*10)
	s.loginAt = newLimiter("login-account-at-address", cfg.LoginBurst, cfg.LoginRefill)
	s.joinIP = newLimiter("join-address", joinPerAddress, joinPerAddressRefill)
	s.joinAll = newLimiter("join-all", joinCeiling, joinCeilingRefill)
	if cfg.Store.SharesLimits() {
		s.usual = cfg.Store.Recent("usual-address", usualFor)
	} else {
		s.usual = ratelimit.NewRecent(usualFor)
	}
}

// limit is one limiter and the key a request counts under in it.
type limit struct {
	lim limiter
	key string
}

// take takes a try from every limit, or from none: if one has no try left,
// those taken are given back, and take returns its index and how long until
// every limit has a try. It returns -1 when it took them all.
func take(limits ...limit) (refused int, wait time.Duration) {
	for i, l := range limits {
		if ok, _ := l.lim.Take(l.key); ok {
			continue
		}
		giveBack(limits[:i]...)
		for _, l := range limits {
			wait = max(wait, l.lim.RetryAfter(l.key))
		}
		return i, wait
	}
	return -1, 0
}

// giveBack returns the tries take took.
func giveBack(limits ...limit) {
	for _, l := range limits {
		l.lim.Return(l.key)
	}
}

// loginLimits are the limits a sign-in as login counts against, and the key
// of the account at this address.
func (s *Server) loginLimits(c echo.Context, login string) (limits []limit, here string) {
	account := strings.ToLower(login)
	addr := clientAddr(c)
	here = account + "\x00" + addr
	limits = []limit{{s.loginAt, here}}
	if !s.usual.Has(here) {
		limits = append(limits, limit{s.loginIP, addr}, limit{s.loginFor, account})
	}
	return limits, here
}

// retryAfter sets the Retry-After header for a wait, and returns it in
// whole seconds for the page, which says it as a count ("Wait 1 second").
func retryAfter(c echo.Context, wait time.Duration) int {
	secs := max(1, int(math.Ceil(wait.Seconds())))
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}

// clientAddr is the address a request counts under in the limits: the
// connection's, or the one a trusted proxy names (proxyTrust). An IPv6
// address counts by its /64, the block one household or phone is given
// whole, so that an attacker cannot take a new address for every guess.
func clientAddr(c echo.Context) string {
	a, err := netip.ParseAddr(c.RealIP())
	if err != nil {
		return "unknown"
	}
	a = a.Unmap().WithZone("")
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}

// proxyTrust says where a request comes from and whether over HTTPS. With
// no trusted proxies, both are the connection's own, whatever headers the
// client sends. With some, a request from one of them comes from the
// nearest address in its X-Forwarded-For that is not a trusted proxy, over
// the scheme its X-Forwarded-Proto gives. Nothing is trusted unless named:
// not this machine, not private ranges (echo trusts those by default).
func proxyTrust(trusted []netip.Prefix) (echo.IPExtractor, echo.SchemeExtractor) {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect(), echo.ExtractSchemeDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		a := p.Addr()
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: a.AsSlice(), Mask: net.CIDRMask(p.Bits(), a.BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...), echo.ExtractSchemeFromHeaders(opts...)
}

// warnUntrustedForward logs, once, a request that says it was forwarded by
// a proxy that is not trusted: if a proxy of the operator's sends requests
// here, every client behind it counts as one address and no cookie is
// marked Secure until it is named in --trusted-proxies. It logs no address:
// the log never has addresses of people.
func (s *Server) warnUntrustedForward(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !s.untrustedForward.Load() &&
			(r.Header.Get(echo.HeaderXForwardedFor) != "" || r.Header.Get(echo.HeaderXForwardedProto) != "") &&
			!s.trustedPeer(r) && s.untrustedForward.CompareAndSwap(false, true) {
			s.log.Warn("a request says a proxy forwarded it, but the proxy is not trusted, so its X-Forwarded-For and X-Forwarded-Proto are ignored. " +
				"If a proxy of yours sends requests here, name its address with --trusted-proxies: until then the limits count every client behind it as one, and cookies are not marked Secure. " +
				"This is said once.")
		}
		return next(c)
	}
}

// trustedPeer reports whether the connection comes from a trusted proxy.
func (s *Server) trustedPeer(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap().WithZone("")
	for _, p := range s.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
