// Command wordgarden serves the shared glossary and looks after its data.
//
//	wordgarden [serve] [--addr HOST:PORT] [--db PATH] [--site-url URL] [--licence ID]
//	wordgarden user add --email E --name N --role R [--org NAME --sector S] [--db PATH]
//	wordgarden user add --role resident --name N --neighbourhood SLUG [--db PATH]
//	wordgarden user list [--find TEXT]
//	wordgarden user disable|enable|reset|sign-out|export|erase (EMAIL | RESIDENT-NAME | --id ID)
//	wordgarden user rename --to NAME (EMAIL | RESIDENT-NAME | --id ID)
//	wordgarden import [--db PATH] DIR
//	wordgarden export [--db PATH] [--format md|json|csv|skos] [--site-url URL] [--licence ID] DIR
//	wordgarden neighbourhood add NAME
//	wordgarden invites --neighbourhood SLUG --count N [--expires DAY]
//	wordgarden tally ROUND_ID
//	wordgarden backup [--db PATH] FILE
//	wordgarden version
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"wordgarden/server/store"
	"wordgarden/server/version"
)

const usage = `wordgarden: a shared glossary that a place grows together.

Usage:
  wordgarden [serve] [--addr HOST:PORT] [--db PATH] [--demo] [--site-url URL] [--licence ID]
      Serve the site. On an empty database, load the starter glossary first;
      with --demo, also neighbourhoods, partners, residents and two votes.
      --site-url is the address people reach the site at (feeds, open data
      and invite slips give it); --licence is the licence of the wordings:
      ogl-3.0 (the default) or cc-by-4.0.
  wordgarden serve ... [--log-format text|json] [--metrics-allow CIDR[,CIDR]]
      One log line per request on standard error, as text (the default) or
      JSON. /metrics answers only the address ranges given (default
      127.0.0.0/8,::1/128: this machine).
  wordgarden user add --email E --name N --role R [--org NAME --sector S] [--db PATH]
      Make an account; the password is read from standard input. Roles:
      facilitator, partner (needs --org; --sector statutory|voluntary makes
      the organisation if it is new).
  wordgarden user add --role resident --name N --neighbourhood SLUG [--db PATH]
      Register a resident with no phone or email, as at an event: prints a
      one-time code, and only the code, with which they choose a password
      at /welcome within 30 days. Until then nobody can sign in as them.
  wordgarden user list [--find TEXT]
      List the accounts (id, role, on or off, sign-in name, name), or those
      whose name or email holds TEXT.
  wordgarden user disable|enable|reset|sign-out|rename|export|erase WHO
      Act on one account, named by its email address, a resident's name, or
      --id ID: disable switches it off (it cannot sign in; signed out
      everywhere), enable switches it back on; reset prints a one-time code,
      and only the code, with which its owner chooses a new password at
      /reset within 7 days; sign-out ends all its sessions; rename --to NAME;
      export writes everything held about the person as JSON (to standard
      output, or --out FILE, a new file); erase --yes erases a resident
      (name and account gone; ballots still count; comments read "A former
      resident"). A running server notices within 10 seconds.
  wordgarden import [--db PATH] DIR
      Load every DIR/*.md term file as an agreed term; terms that exist are skipped.
  wordgarden export [--db PATH] [--format md|json|csv|skos] DIR
      Write every term's agreed wording to DIR: as term files (md, the
      default), or as the open data file the site serves: glossary.json,
      glossary.csv or glossary.jsonld (skos). These need --site-url, and
      take --licence as serve does.
  wordgarden neighbourhood add NAME
      Add a neighbourhood that residents belong to.
  wordgarden invites --neighbourhood SLUG --count N [--expires DAY]
      Print N new one-time invite codes, one per line.
  wordgarden tally ROUND_ID
      Count a closed round again from its ballots and check the stored result.
  wordgarden backup [--db PATH] FILE
      Write a consistent copy of the database to FILE, a new file; safe while
      the server is serving and taking ballots.
  wordgarden version (or -version)
      Print the build's version, as /healthz reports it.
  wordgarden help
      Show this.

Every command takes --db PATH (default wordgarden.db, or $WORDGARDEN_DB): a SQLite
file, or a PostgreSQL database's URL (postgres://USER:PASSWORD@HOST/DATABASE). Only
serve makes a new database there; the others refuse a path with no database at it.

Environment:
  WORDGARDEN_ADDR         address to serve on (default 127.0.0.1:8080)
  WORDGARDEN_DB           database file or postgres:// URL (default wordgarden.db)
  WORDGARDEN_SESSION_KEY  key that signs session cookies, 32 characters or more
                          (default: one generated once and kept in the database)
  WORDGARDEN_SITE_URL     the site's address, as --site-url
  WORDGARDEN_LICENCE      the wordings' licence, as --licence

Run "wordgarden COMMAND -h" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run runs one command and returns the exit code: 0 done, 1 failed, 2 used wrongly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		cmd = "help"
	} else if len(args) > 0 && (args[0] == "-version" || args[0] == "--version") {
		cmd = "version"
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(args, stdout, stderr)
	case "user":
		err = user(args, stdin, stdout, stderr)
	case "import":
		err = importCmd(args, stdout, stderr)
	case "export":
		err = exportCmd(args, stdout, stderr)
	case "neighbourhood":
		err = neighbourhood(args, stdout, stderr)
	case "invites":
		err = invites(args, stdout, stderr)
	case "tally":
		err = tallyCmd(args, stdout, stderr)
	case "backup":
		err = backupCmd(args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version":
		fmt.Fprintln(stdout, "wordgarden", version.String())
		return 0
	default:
		fmt.Fprintf(stderr, "wordgarden: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "wordgarden %s: %v\n", cmd, err)
		return 2
	default:
		fmt.Fprintf(stderr, "wordgarden %s: %v\n", cmd, err)
		return 1
	}
}

// usageError is a command used wrongly.
type usageError string

func (e usageError) Error() string { return string(e) }

// newFlags makes a command's flag set with the --db flag every command has.
func newFlags(name string, stderr io.Writer, db *string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(db, "db", envOr("WORDGARDEN_DB", "wordgarden.db"), "the database: a SQLite file's `PATH`, or a postgres:// URL")
	return fs
}

// parse parses flags, turning their errors into usage errors.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError(err.Error())
	}
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// openStore opens the database of every command but serve. Only serve
// makes a database: a mistyped --db must not leave an empty one behind and
// then answer as if the site had no such round or neighbourhood.
func openStore(db string) (*store.Store, error) {
	st, err := store.Open(db, store.MustExist())
	if errors.Is(err, store.ErrNoDatabase) {
		return nil, noDatabase(db)
	}
	return st, err
}

// noDatabase is what a command says when there is no database at db.
func noDatabase(db string) error {
	if store.IsPostgres(db) {
		return fmt.Errorf("no wordgarden database at %s: start wordgarden serve --db with that URL first, or check it", store.Redact(db))
	}
	return fmt.Errorf("no database at %s: start wordgarden serve --db %s first, or check the path", db, db)
}
