package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/golang-lru/v2/simplelru"
	"github.com/labstack/echo/v4"
)

// Pages that every visitor sees alike (the glossary, term pages, the API)
// are rendered once and kept until the store changes: rendering, not SQLite,
// is what limits how many pages a second the site can serve. Pages are kept
// gzipped: a kept page then costs a fifth of the memory, so five times as
// many fit, and most clients take it as it is.

// pageCacheBytes bounds the memory the page cache holds.
const pageCacheBytes = 12 << 20

// cachedPage is one rendered answer.
type cachedPage struct {
	gen         uint64 // the store's generation it was rendered at
	status      int
	contentType string
	gzipped     []byte // the body, gzipped
	// etag and gzipETag tag the body as sent plain and gzipped (see
	// withETag), made once here rather than on every answer.
	etag, gzipETag string
}

// pageCache holds rendered pages by request URI, up to pageCacheBytes of
// them. Over that, the page used longest ago goes first (LRU): popular
// pages stay, and pages of an older generation, which no one is shown
// again until they are rendered anew, leave before them.
//
// One mutex guards it, even for lookups, which move the page to the front.
// BenchmarkPageCache measured that against the read-locked map with random
// eviction it replaced: a lookup of a kept page costs 40-50 ns either way
// with both cores at it (41 against 29 ns on one core), well under a per
// cent of serving the page; and asked for pages by popularity, it found
// 95.6% of them against 93.4%: a third fewer pages to render again.
type pageCache struct {
	mu    sync.Mutex
	pages *simplelru.LRU[string, cachedPage]
	size  int // bytes of gzipped pages held
	// hits and misses count lookups, for the operator's metrics.
	hits, misses uint64
}

func newPageCache() *pageCache {
	pc := &pageCache{}
	// The bound that counts is in bytes, kept by put; the LRU's own, in
	// pages, is never reached. Whatever leaves, its bytes are let go here.
	pc.pages, _ = simplelru.NewLRU(math.MaxInt, func(_ string, p cachedPage) { pc.size -= len(p.gzipped) })
	return pc
}

func (pc *pageCache) get(key string, gen uint64) (cachedPage, bool) {
	pc.mu.Lock()
	p, ok := pc.pages.Get(key)
	pc.mu.Unlock()
	return p, ok && p.gen == gen
}

func (pc *pageCache) hit()  { atomic.AddUint64(&pc.hits, 1) }
func (pc *pageCache) miss() { atomic.AddUint64(&pc.misses, 1) }

func (pc *pageCache) put(key string, p cachedPage) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.pages.Remove(key) // an older rendering of it
	pc.pages.Add(key, p)
	pc.size += len(p.gzipped)
	for pc.size > pageCacheBytes {
		pc.pages.RemoveOldest()
	}
}

// dataCache keeps what a page shows, for pages that differ between people
// only in their header (signed-in term pages): the data is read once per
// store generation and the page rendered for each person. It holds one
// generation at a time, and at most max entries of it, dropping the one
// used longest ago.
type dataCache[V any] struct {
	mu   sync.Mutex
	gen  uint64
	data *simplelru.LRU[string, V]
	max  int // entries kept at most; 0 means defaultCachedData
}

// defaultCachedData bounds the entries a dataCache holds.
const defaultCachedData = 1000

func (d *dataCache[V]) get(gen uint64, key string) (V, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.data == nil || d.gen != gen {
		var none V
		return none, false
	}
	return d.data.Get(key)
}

func (d *dataCache[V]) put(gen uint64, key string, v V) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.gen != gen || d.data == nil {
		limit := d.max
		if limit == 0 {
			limit = defaultCachedData
		}
		d.gen = gen
		d.data, _ = simplelru.NewLRU[string, V](limit, nil)
	}
	d.data.Add(key, v)
}

// shared serves a page from the cache to visitors who are not signed in and
// have no message waiting, and keeps a fresh rendering of it otherwise.
// Signed-in people get their own page: it shows their name and their forms.
func (s *Server) shared(h echo.HandlerFunc) echo.HandlerFunc { return s.keep(h, false) }

// sharedPerHost is shared for pages that write the site's own address into
// themselves (feeds, open data, the printed glossary). Without --site-url
// that address is the one the request came to, so one asked for through
// another host name must not be served to everyone else: such pages are
// kept per host. Other pages are kept once, so made-up host names cannot
// crowd the cache.
func (s *Server) sharedPerHost(h echo.HandlerFunc) echo.HandlerFunc { return s.keep(h, true) }

func (s *Server) keep(h echo.HandlerFunc, perHost bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) != nil || s.hasFlashes(c) {
			return h(c)
		}
		c.Response().Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		// Pages are kept per language: the same address reads in each.
		key := langOf(c).Code + " " + c.Request().URL.RequestURI()
		if perHost && s.site == "" {
			key = s.siteURL(c) + key
		}
		gen := s.store.Generation()
		if p, ok := s.cache.get(key, gen); ok {
			s.cache.hit()
			return writeCached(c, p)
		}
		s.cache.miss()
		// Visitors who ask for the same page at once wait for one
		// rendering of it, rather than each rendering it.
		leader, leaderErr := false, error(nil)
		v, _, _ := s.rendering.Do(key+"\x00"+strconv.FormatUint(gen, 10), func() (any, error) {
			leader = true
			rec := &recorder{ResponseWriter: c.Response().Writer}
			c.Response().Writer = rec
			if leaderErr = h(c); leaderErr != nil {
				return nil, leaderErr
			}
			if c.Response().Status != http.StatusOK {
				return nil, nil
			}
			gzipped := gzipBytes(rec.buf.Bytes())
			p := cachedPage{
				gen:         gen,
				status:      http.StatusOK,
				contentType: c.Response().Header().Get(echo.HeaderContentType),
				gzipped:     gzipped,
				etag:        etagOf(rec.buf.Bytes()),
				gzipETag:    etagOf(gzipped),
			}
			s.cache.put(key, p)
			return p, nil
		})
		if leader {
			return leaderErr // the leader has answered its own request
		}
		if p, ok := v.(cachedPage); ok {
			return writeCached(c, p)
		}
		return h(c) // the leader's answer was not a page to share
	}
}

// writeCached answers with a kept page: as kept to clients that take gzip,
// unzipped for the few that do not.
func writeCached(c echo.Context, p cachedPage) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-cache")
	if acceptsGzip(c.Request()) {
		h.Set(echo.HeaderContentEncoding, "gzip")
		h.Set(headerETag, p.gzipETag)
		return c.Blob(p.status, p.contentType, p.gzipped)
	}
	h.Set(headerETag, p.etag)
	zr, err := gzip.NewReader(bytes.NewReader(p.gzipped))
	if err != nil {
		return fmt.Errorf("unzip a kept page: %w", err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("unzip a kept page: %w", err)
	}
	return c.Blob(p.status, p.contentType, body)
}

// acceptsGzip reports whether the request's Accept-Encoding takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values(echo.HeaderAcceptEncoding) {
		for part := range strings.SplitSeq(v, ",") {
			coding, param, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			// "gzip;q=0" refuses it.
			q, ok := strings.CutPrefix(strings.ReplaceAll(param, " ", ""), "q=")
			weight, err := strconv.ParseFloat(q, 64)
			return !ok || err != nil || weight > 0
		}
	}
	return false
}

// gzipWriters are reused: a new one allocates over 800 KB.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// gzipBytes compresses b. Writing to a bytes.Buffer cannot fail.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(b)
	zw.Close()
	gzipWriters.Put(zw)
	// A copy of the exact size: the buffer grew by doubling, and the
	// cache's budget counts lengths, not capacities.
	return bytes.Clone(buf.Bytes())
}

// recorder copies what a handler writes.
type recorder struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

// hasFlashes reports whether the visitor has a message waiting for the next
// page, without taking it.
func (s *Server) hasFlashes(c echo.Context) bool {
	name := sessionCookieName(c)
	if _, err := c.Cookie(name); err != nil {
		return false
	}
	sess, err := s.cookies.Get(c.Request(), name)
	if err != nil {
		return false
	}
	flashes, _ := sess.Values["_flash"].([]any)
	return len(flashes) > 0
}
