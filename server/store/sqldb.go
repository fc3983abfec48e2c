package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"time"
)

// dialect is the SQL a database speaks. The store's SQL is written once,
// with ? placeholders, wherever both speak it alike; where they differ,
// the two statements stand side by side (see pick).
type dialect int

const (
	sqlite dialect = iota
	postgres
)

func (d dialect) String() string {
	if d == postgres {
		return "PostgreSQL"
	}
	return "SQLite"
}

// pick returns the statement for the dialect.
func (d dialect) pick(sqliteSQL, postgresSQL string) string {
	if d == postgres {
		return postgresSQL
	}
	return sqliteSQL
}

// jsonInt is the SQL for the integer at key in the JSON text of column col.
func (d dialect) jsonInt(col, key string) string {
	return d.pick("json_extract("+col+", '$."+key+"')", "("+col+"::jsonb ->> '"+key+"')::bigint")
}

// jsonText is the SQL for the string at key in the JSON text of column col.
func (d dialect) jsonText(col, key string) string {
	return d.pick("json_extract("+col+", '$."+key+"')", "("+col+"::jsonb ->> '"+key+"')")
}

// shortContext bounds a statement the store makes of its own accord,
// outside any request's context: a notification to the other servers, a
// sign-in limit's count. Each is a help, not the write itself, so one the
// database is too slow to answer is given up rather than waited for.
func shortContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 5*time.Second)
}

// pool is a database/sql pool that rebinds the store's ? placeholders for
// its dialect.
type pool struct {
	*sql.DB
	dialect dialect
}

// txn is a transaction on a pool.
type txn struct {
	*sql.Tx
	dialect dialect
}

func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = p.dialect.bind(query, args)
	return p.DB.ExecContext(ctx, query, args...)
}

func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = p.dialect.bind(query, args)
	return p.DB.QueryContext(ctx, query, args...)
}

func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = p.dialect.bind(query, args)
	return p.DB.QueryRowContext(ctx, query, args...)
}

func (p *pool) Exec(query string, args ...any) (sql.Result, error) {
	return p.ExecContext(context.Background(), query, args...)
}

func (p *pool) Query(query string, args ...any) (*sql.Rows, error) {
	return p.QueryContext(context.Background(), query, args...)
}

func (p *pool) QueryRow(query string, args ...any) *sql.Row {
	return p.QueryRowContext(context.Background(), query, args...)
}

// BeginTx begins a transaction that rebinds as the pool does.
func (p *pool) BeginTx(ctx context.Context, opts *sql.TxOptions) (*txn, error) {
	tx, err := p.DB.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &txn{Tx: tx, dialect: p.dialect}, nil
}

func (t *txn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = t.dialect.bind(query, args)
	return t.Tx.ExecContext(ctx, query, args...)
}

func (t *txn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = t.dialect.bind(query, args)
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t *txn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	query, args = t.dialect.bind(query, args)
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t *txn) PrepareContext(ctx context.Context, query string) (*sql.Stmt, error) {
	return t.Tx.PrepareContext(ctx, t.dialect.rebind(query))
}

func (t *txn) Exec(query string, args ...any) (sql.Result, error) {
	return t.ExecContext(context.Background(), query, args...)
}

func (t *txn) QueryRow(query string, args ...any) *sql.Row {
	return t.QueryRowContext(context.Background(), query, args...)
}

func (t *txn) Prepare(query string) (*sql.Stmt, error) {
	return t.PrepareContext(context.Background(), query)
}

// bind is rebind for a statement and its arguments: for PostgreSQL, which
// pgx's database/sql driver does not bind by name, named arguments
// (sql.Named("n", 5) for @n) are bound by position too, and a NUL in a
// string argument becomes U+FFFD.
func (d dialect) bind(query string, args []any) (string, []any) {
	if d != postgres {
		return query, args
	}
	named := false
	for i, a := range args {
		switch a := a.(type) {
		case sql.NamedArg:
			named = true
		case string:
			// PostgreSQL's text holds no NUL. SQLite's does, but every
			// reader turns one into U+FFFD, as HTML parsers and CommonMark
			// do: store what they would show.
			if strings.IndexByte(a, 0) >= 0 {
				args = slices.Clone(args)
				args[i] = strings.ReplaceAll(a, "\x00", "\uFFFD")
			}
		}
	}
	if !named {
		return d.rebind(query), args
	}
	position := make(map[string]int, len(args))
	values := make([]any, len(args))
	for i, a := range args {
		if na, ok := a.(sql.NamedArg); ok {
			position[na.Name] = i + 1
			values[i] = na.Value
		} else {
			values[i] = a
		}
	}
	return d.replacePlaceholders(query, func(name string) string {
		if i, ok := position[name]; ok {
			return "$" + strconv.Itoa(i)
		}
		return "@" + name
	}), values
}

// rebind turns the store's placeholders into the dialect's: for
// PostgreSQL, each ? becomes $1, $2, … in order and ?N becomes $N. A ?
// inside a quoted string or a -- comment is left alone.
func (d dialect) rebind(query string) string {
	if d != postgres || !strings.Contains(query, "?") {
		return query
	}
	return d.replacePlaceholders(query, nil)
}

// replacePlaceholders rewrites query's ? and ?N as $N, and, when named is
// not nil, each @name as named(name), outside quotes and comments.
func (d dialect) replacePlaceholders(query string, named func(string) string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			end := strings.IndexByte(query[i+1:], c)
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+2])
			i += end + 1
		case c == '-' && strings.HasPrefix(query[i:], "--"):
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+end+1])
			i += end
		case c == '?':
			j := i + 1
			for j < len(query) && query[j] >= '0' && query[j] <= '9' {
				j++
			}
			b.WriteByte('$')
			if j > i+1 {
				b.WriteString(query[i+1 : j])
			} else {
				n++
				b.WriteString(strconv.Itoa(n))
			}
			i = j - 1
		case c == '@' && named != nil:
			j := i + 1
			for j < len(query) && (query[j] == '_' || 'a' <= query[j] && query[j] <= 'z' || 'A' <= query[j] && query[j] <= 'Z' || '0' <= query[j] && query[j] <= '9') {
				j++
			}
			b.WriteString(named(query[i+1 : j]))
			i = j - 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
