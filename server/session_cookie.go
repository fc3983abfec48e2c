package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"
)

// SessionCookie returns the session cookie that signs in whoever holds
// token, a session token whose hash is in the sessions table, on a server
// started with sessionKey. It is for tools that sign people in without a
// password, such as the load command (cmd/wordgarden-load), which makes
// sessions for thousands of residents and cannot afford a bcrypt check for
// each. It encodes the cookie with the server's own cookie store, exactly as
// signIn saves it, so the server reads it as one of its own.
func SessionCookie(sessionKey []byte, token string) (*http.Cookie, error) {
	if len(sessionKey) < 32 {
		return nil, fmt.Errorf("session cookie: the session key must be at least 32 bytes")
	}
	if token == "" {
		return nil, fmt.Errorf("session cookie: no token")
	}
	// The TTL only sets the cookie's Max-Age here; the server checks the
	// cookie's age against its own SessionTTL.
	cs := newCookieStore(sessionKey, 30*24*time.Hour)
	// What sessions.CookieStore.Save does with the values signIn sets.
	encoded, err := securecookie.EncodeMulti(sessionName, map[any]any{tokenKey: token}, cs.Codecs...)
	if err != nil {
		return nil, fmt.Errorf("session cookie: %w", err)
	}
	return sessions.NewCookie(sessionName, encoded, cs.Options), nil
}
