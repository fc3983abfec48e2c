// Package atom writes Atom 1.0 feeds (RFC 4287) with encoding/xml, so that
// every title, summary and wording is escaped by the encoder, never by hand.
package atom

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// ContentType is what a feed is served as.
const ContentType = "application/atom+xml; charset=utf-8"

// Feed is an Atom feed document.
type Feed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	// Base is the address relative links in the entries' HTML (such as a
	// wording's links to other terms) are read against.
	Base     string    `xml:"xml:base,attr,omitempty"`
	Lang     string    `xml:"xml:lang,attr,omitempty"`
	ID       string    `xml:"id"`
	Title    string    `xml:"title"`
	Subtitle string    `xml:"subtitle,omitempty"`
	Updated  time.Time `xml:"updated"`
	Links    []Link    `xml:"link"`
	Author   *Person   `xml:"author,omitempty"`
	Rights   string    `xml:"rights,omitempty"`
	Entries  []Entry   `xml:"entry"`
}

// Link is an atom:link.
type Link struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

// Person is an author.
type Person struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

// Text is a text construct: plain text, or HTML (Type "html") that the
// encoder escapes and a feed reader unescapes and shows.
type Text struct {
	Type string `xml:"type,attr,omitempty"`
	// Lang is the text's language when it is not the feed's, such as a
	// translation's wording in a feed in English.
	Lang string `xml:"xml:lang,attr,omitempty"`
	Body string `xml:",chardata"`
}

// Category says what kind of entry it is.
type Category struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// Entry is one item of a feed.
type Entry struct {
	ID         string     `xml:"id"`
	Title      string     `xml:"title"`
	Updated    time.Time  `xml:"updated"`
	Published  time.Time  `xml:"published"`
	Links      []Link     `xml:"link"`
	Author     *Person    `xml:"author,omitempty"`
	Categories []Category `xml:"category"`
	Summary    *Text      `xml:"summary,omitempty"`
	Content    *Text      `xml:"content,omitempty"`
}

// Marshal writes the feed as an XML document. Times are written in UTC.
func Marshal(f Feed) ([]byte, error) {
	f.Updated = f.Updated.UTC()
	f.Entries = append([]Entry(nil), f.Entries...)
	for i := range f.Entries {
		f.Entries[i].Updated = f.Entries[i].Updated.UTC()
		f.Entries[i].Published = f.Entries[i].Published.UTC()
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("atom: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// TagURI makes a tag: URI (RFC 4151), a permanent id for an entry: the
// site's host name (lower case), the day the thing happened (the host was the site's
// then) and a path that names the thing, such as "version/12".
func TagURI(siteURL string, day time.Time, specific string) (string, error) {
	u, err := url.Parse(siteURL)
	if err != nil || u.Hostname() == "" {
		return "", fmt.Errorf("atom: no host name in %q", siteURL)
	}
	return "tag:" + strings.ToLower(u.Hostname()) + "," + day.UTC().Format("2006-01-02") + ":" + specific, nil
}
