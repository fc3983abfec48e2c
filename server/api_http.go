package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// apiHeaders gives everything under /api/ what programs on other sites
// need: CORS for reading from any origin, without credentials (so a
// council page's script can fetch a definition), and a strong ETag on every
// answer, with 304 Not Modified for a client that already has it. Feeds and
// open data get the ETag too: feed readers poll.
func apiHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			if isFeedOrData(r.URL.Path) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				return withETag(c, next)
			}
			return next(c)
		}
		h := c.Response().Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag")
		switch r.Method {
		case http.MethodOptions:
			if r.Header.Get("Access-Control-Request-Method") == "" {
				return next(c)
			}
			// A preflight: only reading is allowed, with a conditional header.
			h.Set("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "If-None-Match")
			h.Set("Access-Control-Max-Age", "86400")
			return c.NoContent(http.StatusNoContent)
		case http.MethodGet, http.MethodHead:
			return withETag(c, next)
		}
		return next(c)
	}
}

// withETag runs next with its answer held back, and sends it with an ETag
// made from the body, or as 304 Not Modified when the request's
// If-None-Match names it. Answers from the page cache (cache.go) pass
// through here like fresh ones. The tag is of the bytes sent, so the
// gzipped copy the cache gives clients that take gzip has a tag of its
// own, as a strong validator must (and Vary: Accept-Encoding says why).
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
	tag := h.Get(headerETag) // pages from the cache come tagged
	if tag == "" {
		tag = etagOf(w.body.Bytes())
		h.Set(headerETag, tag)
	}
	// Anyone may keep a copy, but must ask whether it is still current.
	h.Set("Cache-Control", "no-cache")
	if etagMatches(c.Request().Header.Get("If-None-Match"), tag) {
		h.Del(echo.HeaderContentLength)
		h.Del(echo.HeaderContentEncoding)
		res.Status = http.StatusNotModified
		w.ResponseWriter.WriteHeader(http.StatusNotModified)
		return err
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(w.body.Len()))
	w.ResponseWriter.WriteHeader(http.StatusOK)
	w.ResponseWriter.Write(w.body.Bytes())
	return err
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

// etagMatches reports whether an If-None-Match header names tag, with the
// weak comparison RFC 9110 asks for there.
func etagMatches(header, tag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == tag {
			return true
		}
	}
	return false
}

// heldResponse keeps what a handler writes, to send it later.
type heldResponse struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	body        bytes.Buffer
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
