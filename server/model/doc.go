// Package model is wordgarden's domain: the things a place's glossary is
// made of (terms, versions, rounds, ballots, comments, the people and
// organisations who write and vote), the rules new ones must keep (each
// New... type's Validate), and the errors the store answers with. What a
// ValidationError says is a message of server/i18n's catalogues, named by
// id, so that the server can say it in the reader's language.
//
// It knows no HTTP and no SQL. The store sits below it and keeps these
// things in a database; the server sits above it and shows them. Whatever
// database the store talks to, the server sees the same types and errors.
package model
