package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Two or more servers on one PostgreSQL database each keep things in
// memory that another's writes make stale: the page cache's generation,
// the sessions looked up recently, the closing times of open rounds. A
// server tells the others what it changed with NOTIFY on the database's
// channel, and each listens (listen) and forgets what it kept. SQLite has
// one server, and tells no one.

// What a notification says changed.
const (
	notifyPages    = "pages"    // a write that changes what pages show
	notifySessions = "sessions" // sessions ended, accounts changed
	notifySession  = "session"  // one session ended: its token's hash, in hex
	notifyClosings = "closings" // a round opened, extended, cancelled or closed
)

// tellingPages is fn followed, in the same transaction, by a notification
// that pages changed: PostgreSQL delivers it when the transaction commits,
// and never if it does not.
func (s *Store) tellingPages(fn func(*txn) error) func(*txn) error {
	return func(tx *txn) error {
		if err := fn(tx); err != nil {
			return err
		}
		_, err := tx.Exec(`SELECT pg_notify(?, ?)`, s.channel, notifyPages+" "+s.id)
		return err
	}
}

// tell notifies the other servers, after a commit, that what changed,
// and which one if it says. If it fails, they learn it late: sessions when
// their cache's entries go stale (sessionCacheTTL), closing times when
// their timer next looks.
func (s *Store) tell(what string, which ...string) {
	if s.dialect != postgres {
		return
	}
	ctx, cancel := shortContext()
	defer cancel()
	s.w.ExecContext(ctx, `SELECT pg_notify(?, ?)`, s.channel, strings.Join(append([]string{what, s.id}, which...), " "))
}

// startListening makes the store's channel and id and listens on it until
// the store closes.
func (s *Store) startListening() error {
	s.id = rand.Text()[:12]
	var schema string
	if err := s.r.QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	// One channel a schema: sites in other schemas of the database are
	// other sites.
	s.channel = "wordgarden " + schema
	ctx, cancel := context.WithCancel(context.Background())
	s.stopListening = cancel
	s.listening = make(chan struct{})
	ready := make(chan error, 1)
	go s.listen(ctx, ready)
	return <-ready
}

// listen keeps a connection that LISTENs on the channel, and acts on what
// the other servers say. A lost connection is made again; what was said
// meanwhile is lost with it, so then everything is forgotten.
func (s *Store) listen(ctx context.Context, ready chan<- error) {
	defer close(s.listening)
	cfg, err := pgx.ParseConfig(s.dsn)
	if err != nil {
		ready <- err
		return
	}
	// Named, so that pg_stat_activity shows whose it is.
	cfg.RuntimeParams["application_name"] = listenerName(s.id)
	first := true
	for {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			_, err = conn.Exec(ctx, `LISTEN `+pgx.Identifier{s.channel}.Sanitize())
		}
		if first {
			ready <- err
			if err != nil {
				if conn != nil {
					conn.Close(context.Background())
				}
				return
			}
		} else if err == nil {
			s.forgetAll() // what was said while no one listened
		}
		first = false
		if err == nil {
			err = s.hear(ctx, conn)
		}
		if conn != nil {
			conn.Close(context.Background())
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// listenerName is the application_name of the connection on which the
// store with id listens.
func listenerName(id string) string { return "wordgarden listener " + id }

// hear waits for notifications and acts on those of the other servers.
func (s *Store) hear(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		what, rest, _ := strings.Cut(n.Payload, " ")
		from, which, _ := strings.Cut(rest, " ")
		if from == s.id {
			continue
		}
		switch what {
		case notifySession:
			if key, err := hex.DecodeString(which); err == nil {
				s.sessions.Delete(string(key))
			}
		case notifyPages:
			s.gen.Add(1)
		case notifySessions:
			s.dropCachedSessions()
		case notifyClosings:
			s.reloadClosings()
		}
	}
}

// forgetAll forgets everything another server may have changed.
func (s *Store) forgetAll() {
	s.gen.Add(1)
	s.dropCachedSessions()
	s.reloadClosings()
}

// reloadClosings reads the closing times of open rounds afresh, and moves
// the generation on, since the rounds changed. (loadClosings holds the
// lock while it reads, so a closing time this server notes meanwhile is
// noted after it, not lost.) On failure the times are as they were, and
// the round timer's next look at the database finds any round due.
func (s *Store) reloadClosings() {
	s.loadClosings()
	s.gen.Add(1)
}
