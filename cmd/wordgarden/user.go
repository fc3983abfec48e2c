package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"wordgarden/server/model"
)

// user manages accounts: "user add".
func user(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return usageError(`the only user command is "user add"`)
	}
	var db string
	fs := newFlags("user add", stderr, &db)
	email := fs.String("email", "", "email `ADDRESS` to sign in with")
	name := fs.String("name", "", "the person's `NAME` as others will see it")
	role := fs.String("role", "", "`ROLE`: facilitator or partner")
	org := fs.String("org", "", "partners: the organisation's `NAME`")
	sector := fs.String("sector", "", "partners of a new organisation: `SECTOR`, statutory or voluntary")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	r := model.Role(*role)
	if r != model.Facilitator && r != model.Partner {
		return usageError("--role must be facilitator or partner (residents join with an invite code)")
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
