// Package i18n holds wordgarden's words for people in every language it
// speaks: the message catalogues (locales/AREA.LANG.toml), which language a
// reader gets, and dates written in that language. It knows no HTTP.
//
// Catalogues are go-i18n message files: TOML that translators can edit,
// each message named by an id ("signin.title"), with named placeholders
// ({{.Name}}) rather than printf verbs, whose order a translation is free to
// change, and with the plural forms of each language's CLDR rules (one and
// other in English, six in Arabic). A message a catalogue lacks is said in
// English; a message English lacks is a mistake the tests catch.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

//go:embed locales/*.toml
var files embed.FS

// Lang is a language wordgarden speaks.
type Lang struct {
	Code string // the BCP 47 code, for ?lang=, the cookie and hreflang
	HTML string // the lang attribute of its pages: en-GB, es, ...
	Name string // the language's name in itself, for the switcher
	Dir  string // "ltr" or "rtl", for the dir attribute
	// Stub means the catalogue is started but not whole: most messages are
	// said in English. The switcher offers it; the completeness test does
	// not require it.
	Stub bool
	tag  language.Tag
}

// The languages, English first: it is the catalogue every other falls back
// to. Spanish, Portuguese and French are the main languages of Southwark's
// residents after English (Census 2021); Arabic proves right-to-left pages.
var (
	English    = Lang{Code: "en", HTML: "en-GB", Name: "English", Dir: "ltr", tag: language.English}
	Spanish    = Lang{Code: "es", HTML: "es", Name: "Español", Dir: "ltr", tag: language.Spanish}
	Portuguese = Lang{Code: "pt", HTML: "pt", Name: "Português", Dir: "ltr", tag: language.Portuguese}
	French     = Lang{Code: "fr", HTML: "fr", Name: "Français", Dir: "ltr", tag: language.French}
	Arabic     = Lang{Code: "ar", HTML: "ar", Name: "العربية", Dir: "rtl", Stub: true, tag: language.Arabic}

	Languages = []Lang{English, Spanish, Portuguese, French, Arabic}
)

var matcher = language.NewMatcher(func() []language.Tag {
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = l.tag
	}
	return tags
}())

// ByCode returns the language with the code, if wordgarden speaks it.
func ByCode(code string) (Lang, bool) {
	for _, l := range Languages {
		if strings.EqualFold(l.Code, code) {
			return l, true
		}
	}
	return Lang{}, false
}

// Choose picks the reader's language: the one asked for in the address
// (?lang=), else the one they chose before (the cookie), else the best
// match for their browser's Accept-Language, else English.
func Choose(query, cookie, acceptLanguage string) Lang {
	for _, code := range []string{query, cookie} {
		if l, ok := ByCode(code); ok {
			return l
		}
	}
	if acceptLanguage != "" {
		tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
		if err == nil && len(tags) > 0 {
			// Below Confidence Low the matcher only falls back to the
			// first language, English, which is right.
			_, i, conf := matcher.Match(tags...)
			if conf >= language.Low {
				return Languages[i]
			}
		}
	}
	return English
}

// bundle holds every catalogue, loaded once.
var bundle = sync.OnceValues(load)

func load() (*goi18n.Bundle, error) {
	b := goi18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(files, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		if _, err := b.LoadMessageFileFS(files, name); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", path.Base(name), err)
		}
	}
	return b, nil
}

// Check loads the catalogues and reports what is wrong with them, so that
// a broken catalogue stops the server at start-up rather than on a page.
func Check() error {
	_, err := bundle()
	return err
}

// Localizer says messages in one language. It is safe for concurrent use.
type Localizer struct {
	Lang    Lang
	l       *goi18n.Localizer
	printer *message.Printer
	// plain keeps messages without placeholders once said: pages say the
	// same few hundred again and again, and go-i18n matches the language
	// afresh on every call.
	plain sync.Map // id -> string
}

var localizers = sync.OnceValue(func() map[string]*Localizer {
	b, err := bundle()
	if err != nil {
		// Check reports it at start-up; until then, ids show as they are.
		b = goi18n.NewBundle(language.English)
	}
	m := make(map[string]*Localizer, len(Languages))
	for _, l := range Languages {
		m[l.Code] = &Localizer{Lang: l, l: goi18n.NewLocalizer(b, l.Code), printer: message.NewPrinter(l.tag)}
	}
	return m
})

// For returns the localizer of a language; an unknown one gets English.
func For(l Lang) *Localizer {
	if lz, ok := localizers()[l.Code]; ok {
		return lz
	}
	return localizers()[English.Code]
}

// T says the message id in the localizer's language, or in English if its
// catalogue lacks it. args are name, value pairs for the message's
// placeholders; a pair named "Count" also chooses its plural form. A
// message no catalogue has shows as "[id]", which the tests look for.
func (lz *Localizer) T(id string, args ...any) string {
	if len(args) == 0 {
		if s, ok := lz.plain.Load(id); ok {
			return s.(string)
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			name, _ := args[i].(string)
			data[name] = args[i+1]
			if name == "Count" {
				cfg.PluralCount = args[i+1]
				data[name] = lz.Number(args[i+1])
			}
		}
		cfg.TemplateData = data
	}
	s, err := lz.l.Localize(cfg)
	if s == "" && err != nil {
		return "[" + id + "]"
	}
	if len(args) == 0 {
		lz.plain.Store(id, s)
	}
	return s
}

// Has reports whether the localizer's own catalogue has the message (not
// counting English's, which others fall back to).
func (lz *Localizer) Has(id string) bool {
	b, err := bundle()
	if err != nil {
		return false
	}
	one := goi18n.NewLocalizer(b, lz.Lang.Code)
	_, tag, err := one.LocalizeWithTag(&goi18n.LocalizeConfig{MessageID: id})
	return err == nil && tag == lz.Lang.tag
}

// Number writes a whole number the language's way: 1,000 or 1.000. Other
// values are written as fmt would.
func (lz *Localizer) Number(v any) string {
	switch n := v.(type) {
	case int:
		return lz.printer.Sprint(number.Decimal(n))
	case int64:
		return lz.printer.Sprint(number.Decimal(n))
	}
	return fmt.Sprint(v)
}

// Tag is the language's BCP 47 tag, for collation and number formats.
func (l Lang) Tag() language.Tag { return l.tag }
