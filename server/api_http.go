package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// apiCORS lets scripts on any site read the API (so a council page's
// script can fetch a definition): GET and HEAD, with If-None-Match, the
// ETag exposed, no credentials. A preflight asking for another method or
// header is answered with this list all the same, and the browser, seeing
// its method or header missing, does not send the request. Nothing outside
// /api/ is shared with other origins.
var apiCORS = middleware.CORSWithConfig(middleware.CORSConfig{
	Skipper:       func(c echo.Context) bool { return !strings.HasPrefix(c.Request().URL.Path, "/api/") },
	AllowOrigins:  []string{"*"},
	AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodOptions},
	AllowHeaders:  []string{"If-None-Match"},
	ExposeHeaders: []string{headerETag},
	MaxAge:        86400,
})

// etags gives every answer under /api/ a strong ETag, with 304 Not
// Modified for a client that already has it. Feeds and open data get one
// too: feed readers poll.
func etags(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
			(strings.HasPrefix(r.URL.Path, "/api/") || isFeedOrData(r.URL.Path)) {
			return withETag(c, next)
		}
		return next(c)
	}
}

// withETag runs next with its answer held back, and sends it with an ETag
// made from the body. Answers from the page cache (cache.go) pass through
// here like fresh ones. The tag is of the bytes sent, so the gzipped copy
// the cache gives clients that take gzip has a tag of its own, as a strong
// validator must (and Vary: Accept-Encoding says why).
//
// http.ServeContent answers the conditional headers against the tag:
// If-None-Match with 304 Not Modified (no body, no Content-Encoding),
// If-Match with 412, Range with 206, as RFC 9110 says. The hand-written
// If-None-Match check it replaced was faster on this path alone, by about
// 0.5 µs an answer (BenchmarkETag kept/200: 4.8 against 5.3 µs), but no
// difference shows through the whole application (app/200, about 7 µs in
// process, before any network), so net/http's is used.
func withETag(c echo.Context, next echo.HandlerFunc) error {
	res := c.Response()
	w := &heldResponse{ResponseWriter: res.Writer}
	res.Writer = w
	err := next(c)
	res.Writer = w.ResponseWriter
	if !w.wroteHeader {
		return err // nothing written: the error handler answers
	}
	if w.status != http.StatusOK {
		w.ResponseWriter.WriteHeader(w.status)
		w.ResponseWriter.Write(w.body.Bytes())
		return err
	}
	h := res.Header()
	if h.Get(headerETag) == "" { // pages from the cache come tagged
		h.Set(headerETag, etagOf(w.body.Bytes()))
	}
	// Anyone may keep a copy, but must ask whether it is still current.
	h.Set("Cache-Control", "no-cache")
	// The writer and reader ServeContent is given live in w, which is on
	// the heap already: two allocations fewer on every answer.
	out := &w.sent
	out.ResponseWriter, out.length = w.ResponseWriter, w.body.Len()
	w.content.Reset(w.body.Bytes())
	http.ServeContent(out, c.Request(), "", time.Time{}, &w.content)
	res.Status, res.Size = out.status, out.size
	return err
}

// sentResponse passes on what http.ServeContent sends, noting the status
// and size for the request log (echo's Response saw only the held answer).
type sentResponse struct {
	http.ResponseWriter
	length int // of the whole body
	status int
	size   int64
}

func (w *sentResponse) WriteHeader(code int) {
	// ServeContent leaves Content-Length out when the body is encoded
	// (gzip), for handlers that compress as they write; ours is
	// compressed already and its length known.
	if code == http.StatusOK && w.Header().Get(echo.HeaderContentLength) == "" {
		w.Header().Set(echo.HeaderContentLength, strconv.Itoa(w.length))
	}
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *sentResponse) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.size += int64(n)
	return n, err
}

// ReadFrom lets ServeContent's copy use net/http's pooled buffer.
func (w *sentResponse) ReadFrom(r io.Reader) (int64, error) {
	n, err := io.Copy(w.ResponseWriter, r)
	w.size += n
	return n, err
}

// isFeedOrData reports whether path is an Atom feed or an open data file
// (/glossary.json, .csv, .jsonld; not the page /glossary/print).
func isFeedOrData(path string) bool {
	return strings.HasSuffix(path, ".atom") || strings.HasPrefix(path, "/glossary.")
}

// headerETag is the ETag header's name (echo has no constant for it).
const headerETag = "ETag"

// etagOf is the strong ETag of a body as sent.
func etagOf(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
}

// heldResponse keeps what a handler writes, to send it later.
type heldResponse struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        bytes.Buffer
	// content and sent are what withETag sends the body with.
	content bytes.Reader
	sent    sentResponse
}

func (w *heldResponse) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = code, true
	}
}

func (w *heldResponse) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

// Flush is a no-op: the answer is sent whole, once its tag is known.
func (w *heldResponse) Flush() {}
