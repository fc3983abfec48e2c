package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/store"
)

// userCommands are the "user" sub-commands other than add: each acts on
// one account.
var userCommands = map[string]func(ctx context.Context, st *store.Store, u model.User, o userOptions) error{
	"disable":  userDisable,
	"enable":   userEnable,
	"reset":    userReset,
	"sign-out": userSignOut,
	"rename":   userRename,
	"export":   userExport,
	"erase":    userErase,
}

const userUsage = `user commands: add, list, disable, enable, reset, sign-out, rename, export, erase (wordgarden help)`

// user manages accounts.
func user(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError(userUsage)
	}
	switch args[0] {
	case "add":
		return userAdd(args[1:], stdin, stdout, stderr)
	case "list":
		return userList(args[1:], stdout, stderr)
	}
	if _, ok := userCommands[args[0]]; !ok {
		return usageError(fmt.Sprintf("there is no user command %q; %s", args[0], userUsage))
	}
	return userAct(args[0], args[1:], stdout, stderr)
}

// userAdd makes a facilitator or partner account, or registers a
// resident as at an event: "user add".
func userAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("user add", stderr, &db)
	email := fs.String("email", "", "email `ADDRESS` to sign in with")
	name := fs.String("name", "", "the person's `NAME` as others will see it")
	role := fs.String("role", "", "`ROLE`: facilitator, partner or resident")
	org := fs.String("org", "", "partners: the organisation's `NAME`")
	sector := fs.String("sector", "", "partners of a new organisation: `SECTOR`, statutory or voluntary")
	neighbourhood := fs.String("neighbourhood", "", "residents: the neighbourhood's `SLUG`")
	if err := parse(fs, args); err != nil {
		return err
	}
	r := model.Role(*role)
	if r == model.Resident {
		if *email != "" || *org != "" || *sector != "" {
			return usageError("a resident has a --name and a --neighbourhood, nothing else")
		}
		return residentAdd(db, *name, *neighbourhood, stdout, stderr)
	}
	if *neighbourhood != "" {
		return usageError("only residents have --neighbourhood")
	}
	if r != model.Facilitator && r != model.Partner {
		return usageError("--role must be facilitator, partner or resident")
	}
	if r == model.Partner && *org == "" {
		return usageError("a partner needs --org NAME")
	}
	if r != model.Partner && (*org != "" || *sector != "") {
		return usageError("only partners have --org and --sector")
	}
	password, err := readPassword(stdin)
	if err != nil {
		return err
	}
	ctx := context.Background()
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()

	nu := model.NewUser{Email: *email, Name: *name, Role: r, Password: password}
	if r == model.Partner {
		o, err := st.OrganisationByName(ctx, *org)
		switch {
		case errors.Is(err, model.ErrNotFound):
			if *sector == "" {
				return usageError(fmt.Sprintf("there is no organisation %q yet: add --sector statutory or --sector voluntary to make it", *org))
			}
			if o, err = st.CreateOrganisation(ctx, *org, model.Sector(*sector)); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "Added organisation %s (%s)\n", o.Name, o.Sector.Label())
		case err != nil:
			return err
		case *sector != "" && model.Sector(*sector) != o.Sector:
			return usageError(fmt.Sprintf("%s is already in the %s sector", o.Name, o.Sector))
		}
		nu.OrganisationID = o.ID
	}
	u, err := st.CreateUser(ctx, nu)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Added %s %s <%s>\n", u.Role, u.Name, u.Email)
	return nil
}

// residentAdd registers a resident as a facilitator does at an event, for
// someone with no phone or email: the account has no password until its
// owner chooses one with the one-time code printed, and only the code, on
// standard output. The rest goes to standard error.
func residentAdd(db, name, neighbourhood string, stdout, stderr io.Writer) error {
	if neighbourhood == "" {
		return usageError("a resident needs --neighbourhood SLUG (wordgarden neighbourhood add NAME makes one)")
	}
	ctx := context.Background()
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()
	n, err := st.NeighbourhoodBySlug(ctx, neighbourhood)
	if errors.Is(err, model.ErrNotFound) {
		return usageError(fmt.Sprintf("there is no neighbourhood %q", neighbourhood))
	}
	if err != nil {
		return err
	}
	rc, err := st.RegisterResident(ctx, name, n.ID, 0)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, rc.Code)
	fmt.Fprintf(stderr, "Registered %s. Nobody can sign in to the account until this code is used: "+
		"with it and the name %q they choose a password at /welcome, once, until %s.\n",
		describe(rc.User), rc.User.Name, rc.Expires.Format(time.RFC1123))
	return nil
}

// readPassword reads the password from the first line of stdin.
func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	password := strings.TrimRight(line, "\r\n")
	if password == "" {
		return "", usageError("type the password on standard input, e.g. printf '%s\\n' \"$PASSWORD\" | wordgarden user add ...")
	}
	return password, model.CheckPassword(password)
}

// userOptions are what the account commands were given besides the account.
type userOptions struct {
	to     string // rename: the new name
	out    string // export: the file to write, or "" for standard output
	yes    bool   // erase: confirmed
	stdout io.Writer
	stderr io.Writer
}

// userAct runs one of userCommands on the account named by a sign-in name
// (an email address, or a resident's name) or by --id.
func userAct(cmd string, args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("user "+cmd, stderr, &db)
	id := fs.Int64("id", 0, "the account's `ID` (from wordgarden user list), instead of its sign-in name")
	o := userOptions{stdout: stdout, stderr: stderr}
	switch cmd {
	case "rename":
		fs.StringVar(&o.to, "to", "", "the new `NAME`")
	case "export":
		fs.StringVar(&o.out, "out", "", "write to a new `FILE` rather than standard output")
	case "erase":
		fs.BoolVar(&o.yes, "yes", false, "erase: it cannot be undone")
	}
	who, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	usage := fmt.Sprintf("wordgarden user %s [--db PATH] (EMAIL | RESIDENT-NAME | --id ID)", cmd)
	switch {
	case (len(who) == 1) == (*id != 0), len(who) > 1:
		return usageError("name one account: " + usage)
	case cmd == "rename" && o.to == "":
		return usageError(`give the new name: wordgarden user rename --to "NEW NAME" WHO`)
	case cmd == "erase" && !o.yes:
		return usageError("erasing cannot be undone: add --yes to erase the account (export its data first if they asked for it)")
	}
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()
	ctx := context.Background()
	var u model.User
	if *id != 0 {
		u, err = st.Person(ctx, *id)
	} else {
		u, err = st.PersonBySignInName(ctx, who[0])
	}
	if errors.Is(err, model.ErrNotFound) {
		return fmt.Errorf("there is no such account (find it with wordgarden user list)")
	}
	if err != nil {
		return err
	}
	return userCommands[cmd](ctx, st, u, o)
}

// parseWithArgs parses flags that may come before or after the other
// arguments, and returns those.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest = append(rest, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// describe names an account for the messages.
func describe(u model.User) string {
	if u.Role == model.Resident {
		return fmt.Sprintf("resident %s of %s (#%d)", u.Name, u.NeighbourhoodName, u.ID)
	}
	return fmt.Sprintf("%s %s <%s> (#%d)", u.Role, u.Name, u.Email, u.ID)
}

// aServerNotices is said after a change that ends sessions: a running
// server keeps the sessions it looked up lately for a few seconds.
const aServerNotices = "A running server notices within 10 seconds."

func userDisable(ctx context.Context, st *store.Store, u model.User, o userOptions) error {
	if _, err := st.DisableUser(ctx, u.ID, 0); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "Switched off %s: it cannot sign in, and is signed out everywhere. %s\n", describe(u), aServerNotices)
	return nil
}

func userEnable(ctx context.Context, st *store.Store, u model.User, o userOptions) error {
	if _, err := st.EnableUser(ctx, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "Switched on %s: it can sign in again.\n", describe(u))
	return nil
}

// userReset prints a password reset code, and only the code, on standard
// output, so that a script can take it; the rest goes to standard error.
func userReset(ctx context.Context, st *store.Store, u model.User, o userOptions) error {
	rc, err := st.CreateResetCode(ctx, u.ID, 0)
	if err != nil {
		return err
	}
	fmt.Fprintln(o.stdout, rc.Code)
	fmt.Fprintf(o.stderr, "A reset code for %s: give it to them in person or by phone. "+
		"With it and %q they choose a new password at /reset, once, until %s.\n",
		describe(u), u.SignInName(), rc.Expires.Format(time.RFC1123))
	return nil
}

func userSignOut(ctx context.Context, st *store.Store, u model.User, o userOptions) error {
	n, err := st.EndSessions(ctx, u.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "Signed out %s everywhere: %d sessions ended. %s\n", describe(u), n, aServerNotices)
	return nil
}

func userRename(ctx context.Context, st *store.Store, u model.User, o userOptions) error {
	renamed, err := st.RenameUser(ctx, u.ID, o.to)
	if err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "Renamed %s to %s.", describe(u), renamed.Name)
	if renamed.Role == model.Resident {
		fmt.Fprint(o.stdout, " Residents sign in with their name: tell them.")
	}
	fmt.Fprintln(o.stdout)
	return nil
}

// userExport writes everything held about the account as JSON.
func userExport(ctx context.Context, st *store.Store, u model.User, o userOptions) error {
	d, err := st.PersonData(ctx, u.ID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	b = append(b, '\n')
	if o.out == "" {
		_, err := o.stdout.Write(b)
		return err
	}
	// Personal data: a new file that only its owner can read.
	f, err := os.OpenFile(o.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists already: choose a new file", o.out)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", o.out, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", o.out, err)
	}
	fmt.Fprintf(o.stderr, "Wrote the data of %s to %s.\n", describe(u), o.out)
	return nil
}

func userErase(ctx context.Context, st *store.Store, u model.User, o userOptions) error {
	if _, err := st.EraseResident(ctx, u.ID); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "Erased resident #%d: name and account gone; their ballots still count, and their comments read %q. %s\n",
		u.ID, model.FormerResident, aServerNotices)
	return nil
}

// userList prints the accounts that are not erased, or those whose name
// or email holds --find, one a line.
func userList(args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("user list", stderr, &db)
	find := fs.String("find", "", "list only accounts whose name or email holds `TEXT`")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("wordgarden user list [--db PATH] [--find TEXT]")
	}
	st, err := openStore(db)
	if err != nil {
		return err
	}
	defer st.Close()
	people, _, err := st.People(context.Background(), *find, 1<<30)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tROLE\tACCOUNT\tSIGNS IN WITH\tNAME\tORGANISATION OR NEIGHBOURHOOD")
	for _, u := range people {
		where := u.OrganisationName + u.NeighbourhoodName
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", strconv.FormatInt(u.ID, 10), u.Role, u.Status(), u.SignInName(), u.Name, where)
	}
	return w.Flush()
}
