package termfile

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string // test name
		file string // file name
		data string
		want File
	}{
		{
			name: "basic",
			file: "neighbourhood-working.md",
			data: "---\ntitle: Neighbourhood working\nsummary: Services working together.\n---\nBody text.\n",
			want: File{Slug: "neighbourhood-working", Title: "Neighbourhood working", Summary: "Services working together.", Markdown: "Body text."},
		},
		{
			name: "no summary",
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---\nBody.\n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "Body."},
		},
		{
			name: "path in name",
			file: "content/sub/co-design.md",
			data: "---\ntitle: Co-design\n---\nBody.\n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "Body."},
		},
		{
			name: "CRLF everywhere",
			file: "co-design.md",
			data: "---\r\ntitle: Co-design\r\nsummary: Together.\r\n---\r\nLine one.\r\n\r\nLine two.\r\n",
			want: File{Slug: "co-design", Title: "Co-design", Summary: "Together.", Markdown: "Line one.\n\nLine two."},
		},
		{
			name: "lone CR line endings",
			file: "co-design.md",
			data: "---\rtitle: Co-design\r---\rOne\r\rTwo\r",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "One\n\nTwo"},
		},
		{
			name: "body is a lone CR", // found by FuzzParse
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---\n\r",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: ""},
		},
		{
			name: "byte order mark",
			file: "co-design.md",
			data: "\uFEFF---\ntitle: Co-design\n---\nBody.\n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "Body."},
		},
		{
			name: "no final newline",
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---\nBody.",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "Body."},
		},
		{
			name: "only one final newline is taken",
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---\nBody.\n\n\n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "Body.\n\n"},
		},
		{
			name: "blank line after fence is kept",
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---\n\nBody.\n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "\nBody."},
		},
		{
			name: "empty body",
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---\n",
			want: File{Slug: "co-design", Title: "Co-design"},
		},
		{
			name: "closing fence at end of file",
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---",
			want: File{Slug: "co-design", Title: "Co-design"},
		},
		{
			name: "fences with trailing spaces",
			file: "co-design.md",
			data: "--- \ntitle: Co-design\n---\t\nBody.\n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "Body."},
		},
		{
			name: "dashes in body",
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---\nAbove\n\n---\n\nBelow\n---\n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "Above\n\n---\n\nBelow\n---"},
		},
		{
			name: "quoted title with colon",
			file: "care-home.md",
			data: "---\ntitle: \"Care: at home\"\nsummary: 'It''s fine'\n---\nx\n",
			want: File{Slug: "care-home", Title: "Care: at home", Summary: "It's fine", Markdown: "x"},
		},
		{
			name: "number as title",
			file: "111.md",
			data: "---\ntitle: 111\n---\nCall 111.\n",
			want: File{Slug: "111", Title: "111", Markdown: "Call 111."},
		},
		{
			name: "wrapped summary folds to one line",
			file: "co-design.md",
			data: "---\ntitle: Co-design\nsummary: Residents and services\n  design things together.\n---\nx\n",
			want: File{Slug: "co-design", Title: "Co-design", Summary: "Residents and services design things together.", Markdown: "x"},
		},
		{
			name: "comment in front matter",
			file: "co-design.md",
			data: "---\n# drafted at the March session\ntitle: Co-design\n---\nx\n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "x"},
		},
		{
			name: "unicode slug and title",
			file: "café-de-quartier.md",
			data: "---\ntitle: Café de quartier\n---\nx\n",
			want: File{Slug: "cafe-de-quartier", Title: "Café de quartier", Markdown: "x"},
		},
		{
			name: "trailing spaces in body kept",
			file: "co-design.md",
			data: "---\ntitle: Co-design\n---\nline  \n  \n",
			want: File{Slug: "co-design", Title: "Co-design", Markdown: "line  \n  "},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "unicode slug and title" {
				// "café" is not a slug: slug.Make folds the accent.
				_, err := Parse(tt.file, []byte(tt.data))
				if err == nil || !strings.Contains(err.Error(), `rename it "cafe-de-quartier.md"`) {
					t.Fatalf("Parse(%q) error = %v, want a rename hint", tt.file, err)
				}
				tt.file = "cafe-de-quartier.md"
			}
			got, err := Parse(tt.file, []byte(tt.data))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) =\n %#v\nwant\n %#v", tt.data, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		file string
		data string
		want []string // substrings of the error
	}{
		{"empty file", "x.md", "", []string{"x.md:", "missing front matter"}},
		{"no front matter", "x.md", "# Title\n\nBody\n", []string{"x.md:", "missing front matter"}},
		{"front matter not first", "x.md", "\n---\ntitle: X\n---\n", []string{"missing front matter"}},
		{"not closed", "x.md", "---\ntitle: X\nBody\n", []string{"x.md:", "not closed"}},
		{"only a fence", "x.md", "---", []string{"not closed"}},
		{"empty front matter", "x.md", "---\n---\nBody\n", []string{"x.md:", "missing title"}},
		{"no title", "x.md", "---\nsummary: S\n---\nBody\n", []string{"missing title"}},
		{"blank title", "x.md", "---\ntitle: '   '\n---\n", []string{"missing title"}},
		{"null title", "x.md", "---\ntitle: ~\n---\n", []string{"missing title"}},
		{"bad YAML", "x.md", "---\ntitle: X\nsummary: \"open\n---\n", []string{"x.md:", "not valid YAML", "line 3"}},
		{"bad YAML indent", "x.md", "---\ntitle: X\n  summary: S\n---\n", []string{"not valid YAML", "line 3"}},
		{"tab indent", "x.md", "---\ntitle: X\n\tsummary: S\n---\n", []string{"not valid YAML"}},
		{"unknown key", "x.md", "---\ntitle: X\nsumary: S\n---\n", []string{"x.md:", "line 3", `unknown front matter key "sumary"`, "title, summary, lang and translates"}},
		{"title is a list", "x.md", "---\ntitle: [a, b]\n---\n", []string{"line 2", "title must be plain text"}},
		{"summary is a mapping", "x.md", "---\ntitle: X\nsummary:\n  a: b\n---\n", []string{"summary must be plain text"}},
		{"front matter is a list", "x.md", "---\n- title\n---\n", []string{"line 2", "key: value"}},
		{"front matter is text", "x.md", "---\njust words\n---\n", []string{"key: value"}},
		{"duplicate key", "x.md", "---\ntitle: X\ntitle: Y\n---\n", []string{"x.md:", "already defined"}},
		{"multi-line title", "x.md", "---\ntitle: |\n  One\n  Two\n---\n", []string{"title must be one line"}},
		{"multi-line summary", "x.md", "---\ntitle: X\nsummary: >\n  One\n  Two\n---\n", []string{"summary must be one line"}},
		{"not UTF-8", "x.md", "---\ntitle: X\n---\n\xff\xfe\n", []string{"x.md:", "UTF-8"}},
		{"not .md", "x.txt", "---\ntitle: X\n---\n", []string{"x.txt:", `end in ".md"`}},
		{"no slug", ".md", "---\ntitle: X\n---\n", []string{"no slug"}},
		{"upper case name", "Co-Design.md", "---\ntitle: Co-design\n---\n", []string{"Co-Design.md:", `rename it "co-design.md"`}},
		{"spaces in name", "co design.md", "---\ntitle: Co-design\n---\n", []string{`rename it "co-design.md"`}},
		{"no letters in name", "--.md", "---\ntitle: X\n---\n", []string{"not a slug", "lower case letters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse(tt.file, []byte(tt.data))
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want an error", tt.data, f)
			}
			if f != (File{}) {
				t.Errorf("Parse returned %#v with the error, want the zero File", f)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// roundTripFiles are Files that Parse could return; Parse(Format(f)) must
// give each back unchanged.
var roundTripFiles = []File{
	{Slug: "a", Title: "A"},
	{Slug: "co-design", Title: "Co-design", Summary: "Designing things together.", Markdown: "Body."},
	{Slug: "colon", Title: "Care: what it means", Summary: "Note: this has: colons", Markdown: "x"},
	{Slug: "quotes", Title: `"Quoted" and 'single' quotes`, Summary: `It's "fine"`},
	{Slug: "leading-quote", Title: `"Quoted at the start"`},
	{Slug: "leading-single", Title: `'single at the start`},
	{Slug: "hash", Title: "# Not a comment", Summary: "a #hashtag and a # mark"},
	{Slug: "leading-spaces", Title: "   Leading spaces", Summary: "  and trailing  "},
	{Slug: "unicode", Title: "Café — naïve 日本語 ✓ emoji 🌱", Summary: "Ünïcödé «quotes»"},
	{Slug: "yaml-words", Title: "yes", Summary: "null"},
	{Slug: "bools", Title: "true", Summary: "~"},
	{Slug: "number", Title: "111", Summary: "0x1F"},
	{Slug: "float", Title: "1.50", Summary: "1e3"},
	{Slug: "dashes", Title: "---", Summary: "- not a list"},
	{Slug: "dots", Title: "...", Summary: "..."},
	{Slug: "specials", Title: "[not a list] {not a map} & *star !tag %pct @at `tick` |pipe >gt"},
	{Slug: "question", Title: "? key", Summary: ": value"},
	{Slug: "tab", Title: "tab\there", Summary: "\ttab first"},
	{Slug: "backslash", Title: `back\slash \n not a newline`},
	{Slug: "long", Title: strings.Repeat("long title words ", 20), Summary: strings.Repeat("a long summary ", 30)},
	{Slug: "body-fences", Title: "Fences", Markdown: "---\ntitle: fake\n---\n\nText\n---\n"},
	{Slug: "body-starts-blank", Title: "Blank", Markdown: "\n\nStarts after blank lines"},
	{Slug: "body-trailing", Title: "Trailing", Markdown: "Ends with newlines\n\n"},
	{Slug: "body-trailing-spaces", Title: "Trailing spaces", Markdown: "hard break  \nnext  "},
	{Slug: "body-only-newline", Title: "Newline", Markdown: "\n"},
	{Slug: "body-spaces", Title: "Spaces", Markdown: "   "},
	{Slug: "body-indented", Title: "Code", Markdown: "    code block\n\ttabbed"},
	{Slug: "body-unicode", Title: "Unicode body", Markdown: "Résumé — “smart quotes” 🌱\n\n- [[Co-design]]\n- [[social-prescribing|social prescribing]]"},
	{Slug: "body-bom-like", Title: "BOM", Markdown: "\uFEFFnot at file start"},
}

func TestRoundTrip(t *testing.T) {
	for _, f := range roundTripFiles {
		t.Run(f.Slug, func(t *testing.T) {
			data := Format(f)
			if !strings.HasSuffix(string(data), "\n") {
				t.Errorf("Format does not end with a newline: %q", data)
			}
			got, err := Parse(f.Slug+".md", data)
			if err != nil {
				t.Fatalf("Parse(Format(f)): %v\nfile:\n%s", err, data)
			}
			if got != f {
				t.Errorf("Parse(Format(f)) =\n %#v\nwant\n %#v\nfile:\n%s", got, f, data)
			}
			// Format is stable: formatting what was read gives the same bytes.
			if again := Format(got); string(again) != string(data) {
				t.Errorf("Format not stable:\n%q\n%q", data, again)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		f    File
		want string
	}{
		{
			"plain",
			File{Slug: "co-design", Title: "Co-design", Summary: "Designing together.", Markdown: "Body."},
			"---\ntitle: Co-design\nsummary: Designing together.\n---\nBody.\n",
		},
		{
			"no summary key when empty",
			File{Slug: "co-design", Title: "Co-design", Markdown: "Body."},
			"---\ntitle: Co-design\n---\nBody.\n",
		},
		{
			"colon is quoted",
			File{Slug: "x", Title: "Care: homes"},
			"---\ntitle: 'Care: homes'\n---\n\n",
		},
		{
			"CRLF body written as LF",
			File{Slug: "x", Title: "X", Markdown: "a\r\n\r\nb\r\n"},
			"---\ntitle: X\n---\na\n\nb\n\n",
		},
		{
			"lone CR written as LF",
			File{Slug: "x", Title: "X", Markdown: "a\rb\r"},
			"---\ntitle: X\n---\na\nb\n\n",
		},
		{
			"unicode written as is",
			File{Slug: "x", Title: "Café — naïve"},
			"---\ntitle: Café — naïve\n---\n\n",
		},
		{
			// yaml.v3 escapes characters beyond U+FFFF; Parse reads them back.
			"emoji escaped",
			File{Slug: "x", Title: "Café 🌱"},
			"---\ntitle: \"Café \\U0001F331\"\n---\n\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(Format(tt.f)); got != tt.want {
				t.Errorf("Format =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// FuzzRoundTrip checks Parse(Format(f)) == f for any File Parse could return.
func FuzzRoundTrip(f *testing.F) {
	for _, rf := range roundTripFiles {
		f.Add(rf.Title, rf.Summary, rf.Markdown)
	}
	f.Fuzz(func(t *testing.T, title, summary, markdown string) {
		in := File{Slug: "fuzz", Title: title, Summary: summary, Markdown: markdown}
		if checkFields(title, summary) != nil || strings.Contains(markdown, "\r") ||
			!utf8Valid(title, summary, markdown) {
			t.Skip()
		}
		got, err := Parse("fuzz.md", Format(in))
		if err != nil {
			t.Fatalf("Parse(Format(%#v)): %v\n%s", in, err, Format(in))
		}
		if got != in {
			t.Fatalf("Parse(Format(f)) =\n %#v\nwant\n %#v", got, in)
		}
	})
}

// FuzzParse checks Parse never panics and that whatever it accepts
// round-trips through Format.
func FuzzParse(f *testing.F) {
	f.Add("---\ntitle: X\n---\nBody\n")
	f.Add("---\ntitle: X\nsummary: 'a: b'\n---\n---\n")
	f.Add("---\r\ntitle: X\r\n---\r\n")
	f.Add("---\ntitle: 0\n---\n\r")
	f.Add("---\ntitle: X\n---\nbody\r\r\n\r")
	f.Fuzz(func(t *testing.T, data string) {
		got, err := Parse("x.md", []byte(data))
		if err != nil {
			return
		}
		again, err := Parse("x.md", Format(got))
		if err != nil || again != got {
			t.Fatalf("accepted %q as %#v, but its Format reads back as %#v, %v", data, got, again, err)
		}
	})
}

func utf8Valid(ss ...string) bool {
	for _, s := range ss {
		if strings.ToValidUTF8(s, "\uFFFD") != s {
			return false
		}
	}
	return true
}

func TestReadDir(t *testing.T) {
	file := func(title string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\ntitle: " + title + "\n---\nAbout " + title + ".\n")}
	}
	fsys := fstest.MapFS{
		"content/social-prescribing.md": file("Social prescribing"),
		"content/care-home.md":          file("Care home"),
		"content/care.md":               file("Care"),   // sorts before care-home by slug,
		"content/care-home-x.md":        file("Care X"), // though "care.md" sorts after both by name
		"content/.keep":                 {},
		"content/.draft.md":             {Data: []byte("not a term")},
		"content/README.txt":            {Data: []byte("not a term")},
		"content/notes.MD":              {Data: []byte("not a term")},
		"content/sub/deeper.md":         file("Deeper"),
		"content/folder.md/inside.md":   file("Inside"),
		"other/x.md":                    file("X"),
	}
	got, err := ReadDir(fsys, "content")
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}
	var slugs []string
	for _, f := range got {
		slugs = append(slugs, f.Slug)
	}
	want := []string{"care", "care-home", "care-home-x", "social-prescribing"}
	if !reflect.DeepEqual(slugs, want) {
		t.Errorf("slugs = %q, want %q", slugs, want)
	}
	if got[1] != (File{Slug: "care-home", Title: "Care home", Markdown: "About Care home."}) {
		t.Errorf("care-home = %#v", got[1])
	}

	t.Run("empty dir", func(t *testing.T) {
		got, err := ReadDir(fstest.MapFS{"empty/.keep": {}}, "empty")
		if err != nil || len(got) != 0 {
			t.Errorf("ReadDir(empty) = %v, %v; want nothing, no error", got, err)
		}
	})
	t.Run("missing dir", func(t *testing.T) {
		if _, err := ReadDir(fsys, "nope"); err == nil {
			t.Error("ReadDir(missing dir): no error")
		}
	})
	t.Run("bad files are named", func(t *testing.T) {
		bad := fstest.MapFS{
			"c/good.md":     file("Good"),
			"c/broken.md":   {Data: []byte("no front matter")},
			"c/untitled.md": {Data: []byte("---\nsummary: S\n---\n")},
		}
		got, err := ReadDir(bad, "c")
		if err == nil {
			t.Fatalf("ReadDir with bad files = %v, want an error", got)
		}
		if got != nil {
			t.Errorf("ReadDir returned files with an error: %v", got)
		}
		for _, w := range []string{"c/broken.md: missing front matter", "c/untitled.md: missing title"} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("error %q does not contain %q", err, w)
			}
		}
		if strings.Contains(err.Error(), "good.md") {
			t.Errorf("error %q names a good file", err)
		}
	})
	t.Run("root dir", func(t *testing.T) {
		got, err := ReadDir(fstest.MapFS{"a.md": file("A")}, ".")
		if err != nil || len(got) != 1 || got[0].Slug != "a" {
			t.Errorf("ReadDir(.) = %v, %v", got, err)
		}
	})
}

func TestWriteDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "content") // WriteDir creates it
	files := []File{
		{Slug: "social-prescribing", Title: "Social prescribing", Summary: "Help that is not medicine.", Markdown: "See [[Link worker]].\n\n---\n\nMore."},
		{Slug: "care-home", Title: "Care home", Markdown: "A home with care."},
		{Slug: "colon", Title: "Care: homes", Summary: `"quoted"`, Markdown: "x\n\n"},
	}
	if err := WriteDir(dir, files); err != nil {
		t.Fatalf("WriteDir: %v", err)
	}
	got, err := ReadDir(os.DirFS(dir), ".")
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}
	want := []File{files[1], files[2], files[0]} // sorted by slug
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadDir after WriteDir =\n %#v\nwant\n %#v", got, want)
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(files) {
		t.Errorf("dir has %d entries, want %d (no temporary files left)", len(entries), len(files))
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o644 {
			t.Errorf("%s has mode %v, want 0644", e.Name(), perm)
		}
	}

	t.Run("overwrite", func(t *testing.T) {
		changed := File{Slug: "care-home", Title: "Care home", Markdown: "Changed.\r\n"}
		if err := WriteDir(dir, []File{changed}); err != nil {
			t.Fatalf("WriteDir: %v", err)
		}
		data, err := os.ReadFile(filepath.Join(dir, "care-home.md"))
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != "---\ntitle: Care home\n---\nChanged.\n\n" {
			t.Errorf("care-home.md = %q", data)
		}
	})

	t.Run("nothing written on bad input", func(t *testing.T) {
		tests := []struct {
			name string
			f    File
			want string
		}{
			{"path in slug", File{Slug: "../escape", Title: "X"}, "not a slug"},
			{"slash in slug", File{Slug: "a/b", Title: "X"}, "not a slug"},
			{"empty slug", File{Slug: "", Title: "X"}, "no slug"},
			{"upper case slug", File{Slug: "Care", Title: "X"}, `rename it "care.md"`},
			{"blank title", File{Slug: "x", Title: " "}, "missing title"},
			{"multi-line title", File{Slug: "x", Title: "a\nb"}, "one line"},
			{"duplicate slug", File{Slug: "good", Title: "Again"}, `two files have the slug "good"`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				d := filepath.Join(t.TempDir(), "out")
				err := WriteDir(d, []File{{Slug: "good", Title: "Good"}, tt.f})
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("WriteDir error = %v, want %q", err, tt.want)
				}
				if _, err := os.Stat(d); !os.IsNotExist(err) {
					t.Errorf("WriteDir created %s despite the error", d)
				}
			})
		}
	})
}
