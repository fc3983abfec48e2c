package plain

import (
	"strings"
	"sync"

	"github.com/jdkato/prose/v3/summarize"
)

// corrections are words that summarize.Syllables counts wrong and that
// civic and health wordings use. Counts follow CMUdict (British spellings
// counted like their American twins). TestSyllables pins each one.
var corrections = map[string]int{
	"area": 3, "areas": 3,
	"create": 2, "creates": 2, "created": 3, "creating": 3, "creation": 3, "reaction": 3,
	"real": 1, "idea": 3, "ideas": 3,
	"going": 2, "ongoing": 3, "doing": 2,
	"science": 2, "society": 4, "anxiety": 4, "diabetes": 4, "museum": 3,
	"cooperate": 4, "coordinate": 4, "coordinator": 5, "coordinators": 5, "reuse": 2,
	"someone": 2, "somewhere": 2, "lifestyle": 2, "evening": 2,
	"inequality": 5, "inequalities": 6,
	"nurses": 2, "horses": 2, "seeing": 2, "really": 2, "loneliness": 3,
	"something": 2, "sometimes": 2, "everything": 3,
	"based": 1, "used": 1, "caused": 1, "raised": 1, "closed": 1,
}

// Syllables counts the syllables of one word: summarize.Syllables with
// the corrections above. A hyphenated word is counted part by part
// ("well-being" is well + being), and a possessive like the word itself.
func Syllables(word string) int {
	word = strings.ToLower(strings.Trim(word, "'’"))
	if strings.ContainsRune(word, '-') {
		n := 0
		for _, part := range strings.Split(word, "-") {
			if part != "" {
				n += Syllables(part)
			}
		}
		if n == 0 {
			return 1
		}
		return n
	}
	word = strings.TrimSuffix(strings.TrimSuffix(word, "'s"), "’s")
	if n, ok := corrections[word]; ok {
		return n
	}
	if word == "" {
		return 0
	}
	return counted.syllables(word)
}

// counted remembers summarize.Syllables' answers. It tries a dozen regular
// expressions on every word, which made it nine tenths of a check's time;
// wordings share most of their words, so a word is counted once.
var counted = syllableMemo{words: make(map[string]int)}

// maxRemembered bounds the memo (a few MB): a vocabulary of this size is
// far beyond what a glossary uses; words past it are counted each time.
const maxRemembered = 50000

type syllableMemo struct {
	mu    sync.RWMutex
	words map[string]int
}

func (m *syllableMemo) syllables(word string) int {
	m.mu.RLock()
	n, ok := m.words[word]
	m.mu.RUnlock()
	if ok {
		return n
	}
	n = summarize.Syllables(word)
	m.mu.Lock()
	if len(m.words) < maxRemembered {
		m.words[word] = n
	}
	m.mu.Unlock()
	return n
}
