package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// validationCall is one validation error the domain or the store makes: the
// message it names and the names of the placeholders it fills.
type validationCall struct {
	at    string // file:line
	id    string
	names []string
}

// validationCalls reads the Go sources of server/model and server/store
// and returns every model.Invalid and model.InvalidBecause call and every
// model.ValidationError literal, with a problem for each one whose message
// the test cannot check (an id that is not a string literal, a literal
// without an id).
func validationCalls(t *testing.T) (calls []validationCall, problems []string) {
	t.Helper()
	fset := token.NewFileSet()
	for _, dir := range []string{"../model", "../store"} {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncDecl:
					// The constructors themselves pass an id along.
					return n.Recv != nil || (n.Name.Name != "Invalid" && n.Name.Name != "InvalidBecause")
				case *ast.CallExpr:
					idArg := map[string]int{"Invalid": 1, "InvalidBecause": 2}[calleeName(n.Fun)]
					if idArg == 0 || len(n.Args) <= idArg {
						return true
					}
					at := fset.Position(n.Pos()).String()
					id, ok := stringLit(n.Args[idArg])
					if !ok {
						problems = append(problems, at+": the message id is not a string literal")
						return true
					}
					var names []string
					for i := idArg + 1; i < len(n.Args); i += 2 {
						name, ok := stringLit(n.Args[i])
						if !ok {
							problems = append(problems, at+": a placeholder's name is not a string literal")
						}
						names = append(names, name)
					}
					calls = append(calls, validationCall{at: at, id: id, names: names})
				case *ast.CompositeLit:
					if calleeName(n.Type) != "ValidationError" {
						return true
					}
					at := fset.Position(n.Pos()).String()
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && calleeName(kv.Key) == "ID" {
							if id, ok := stringLit(kv.Value); ok {
								calls = append(calls, validationCall{at: at, id: id})
								return true
							}
						}
					}
					problems = append(problems, at+": a ValidationError without a message id: make it with model.Invalid")
				}
				return true
			})
		}
	}
	return calls, problems
}

// calleeName is the name a call or type is spelt with: Invalid, or the
// Invalid of model.Invalid.
func calleeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// Every validation error of the domain and the store names a message the
// English catalogue has, fills every placeholder the message has in each
// language, and every message of validation.en.toml is one of them.
func TestValidationErrorsSayCatalogueMessages(t *testing.T) {
	calls, problems := validationCalls(t)
	for _, p := range problems {
		t.Error(p)
	}
	if len(calls) < 90 {
		t.Fatalf("found %d validation errors in server/model and server/store; the scan is missing them", len(calls))
	}
	en := ids(t)[English.Code]
	used := map[string]bool{}
	for _, c := range calls {
		used[c.id] = true
		if !en[c.id] {
			t.Errorf("%s: the English catalogue lacks %q", c.at, c.id)
			continue
		}
		args := make([]any, 0, 2*len(c.names))
		for _, name := range c.names {
			args = append(args, name, "x")
		}
		for _, l := range Languages {
			if got := For(l).T(c.id, args...); strings.Contains(got, "<no value>") {
				t.Errorf("%s: %s in %s has a placeholder the call does not fill (it gives %v): %q", c.at, c.id, l.Name, c.names, got)
			}
		}
	}

	b, err := fs.ReadFile(files, "locales/validation.en.toml")
	if err != nil {
		t.Fatal(err)
	}
	mf, err := goi18n.ParseMessageFileBytes(b, "validation.en.toml", map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
	if err != nil {
		t.Fatal(err)
	}
	var unused []string
	for _, m := range mf.Messages {
		if !used[m.ID] {
			unused = append(unused, m.ID)
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Errorf("validation.en.toml has messages no validation error names: %s", strings.Join(unused, ", "))
	}
}

// A validation error reads in the reader's language, its placeholders
// filled; in English it reads as the domain wrote it before the catalogue.
func TestValidationMessages(t *testing.T) {
	for _, tc := range []struct {
		l    Lang
		id   string
		args []any
		want string
	}{
		{English, "invalid.name.empty", nil, "Enter a name."},
		{English, "invalid.comment.long", []any{"Max", 4000, "Length", 4321},
			"Keep your comment to 4000 characters; it has 4321. Split it into two comments, or make it shorter."},
		{English, "invalid.organisation.taken", []any{"Name", "Age UK"}, "There is already an organisation called “Age UK”."},
		{Spanish, "invalid.name.empty", nil, "Escribe un nombre."},
		{Spanish, "invalid.title.long", []any{"Max", 100}, "El título puede tener 100 caracteres como máximo."},
		{Portuguese, "invalid.name.empty", nil, "Escreva um nome."},
		{French, "invalid.name.empty", nil, "Saisissez un nom."},
	} {
		if got := For(tc.l).T(tc.id, tc.args...); got != tc.want {
			t.Errorf("%s %s = %q, want %q", tc.l.Name, tc.id, got, tc.want)
		}
	}
}
