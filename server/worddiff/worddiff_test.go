package worddiff

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

func eq(s string) Segment  { return Segment{Equal, s} }
func ins(s string) Segment { return Segment{Insert, s} }
func del(s string) Segment { return Segment{Delete, s} }

var diffTests = []struct {
	name string
	a, b string
	want []Segment
}{
	{"both empty", "", "", nil},
	{"identical", "A food bank gives out food.", "A food bank gives out food.",
		[]Segment{eq("A food bank gives out food.")}},
	{"empty to text", "", "A food bank.", []Segment{ins("A food bank.")}},
	{"text to empty", "A food bank.", "", []Segment{del("A food bank.")}},
	{"replaced word", "The cat sat on the mat.", "The dog sat on the mat.",
		[]Segment{eq("The "), del("cat"), ins("dog"), eq(" sat on the mat.")}},
	{"replaced words", "the quick brown fox", "the slow red fox",
		[]Segment{eq("the "), del("quick brown"), ins("slow red"), eq(" fox")}},
	{"one word for two", "the quick fox", "the slow red fox",
		[]Segment{eq("the "), del("quick"), ins("slow red"), eq(" fox")}},
	{"replaced last word", "Ein Straßenfest in München.", "Ein Straßenfest in Köln.",
		[]Segment{eq("Ein Straßenfest in "), del("München"), ins("Köln"), eq(".")}},
	{"inserted word", "hello world", "hello big world",
		[]Segment{eq("hello "), ins("big "), eq("world")}},
	{"appended word", "one two", "one two three",
		[]Segment{eq("one two"), ins(" three")}},
	{"deleted word", "a very big cat", "a big cat",
		[]Segment{eq("a "), del("very "), eq("big cat")}},
	{"inserted sentence", "A cat. It sat.", "A cat. It was big. It sat.",
		[]Segment{eq("A cat. "), ins("It was big. "), eq("It sat.")}},
	{"inserted first sentence", "It sat.", "It was big. It sat.",
		[]Segment{ins("It was big. "), eq("It sat.")}},
	{"deleted sentence", "A cat. It was big. It sat.", "A cat. It sat.",
		[]Segment{eq("A cat. "), del("It was big. "), eq("It sat.")}},
	{"inserted paragraph", "Intro.\n\nEnd.", "Intro.\n\nMiddle.\n\nEnd.",
		[]Segment{eq("Intro.\n\n"), ins("Middle.\n\n"), eq("End.")}},
	{"changes in two paragraphs", "One cat.\n\nTwo cats.", "One dog.\n\nTwo dogs.",
		[]Segment{eq("One "), del("cat"), ins("dog"), eq(".\n\nTwo "), del("cats"), ins("dogs"), eq(".")}},
	{"punctuation changed", "Done.", "Done!",
		[]Segment{eq("Done"), del("."), ins("!")}},
	{"comma removed", "Hello, world.", "Hello world.",
		[]Segment{eq("Hello"), del(","), eq(" world.")}},
	{"markdown emphasis", "a *big* cat", "a **big** cat",
		[]Segment{eq("a "), ins("*"), eq("*big*"), ins("*"), eq(" cat")}},
	{"whitespace only", "hello world", "hello  world",
		[]Segment{eq("hello"), del(" "), ins("  "), eq("world")}},
	{"line rewrapped", "the cat\nsat down", "the cat sat\ndown",
		[]Segment{eq("the cat"), del("\n"), ins(" "), eq("sat"), del(" "), ins("\n"), eq("down")}},
	{"apostrophe word", "don't stop", "do not stop",
		[]Segment{del("don't"), ins("do not"), eq(" stop")}},
	{"hyphenated word", "a well-known term", "a well-understood term",
		[]Segment{eq("a "), del("well-known"), ins("well-understood"), eq(" term")}},
	{"accented words", "café crème", "café au lait",
		[]Segment{eq("café "), del("crème"), ins("au lait")}},
	{"combining accent", "cafe\u0301 noir", "cafe\u0301 au lait",
		[]Segment{eq("cafe\u0301 "), del("noir"), ins("au lait")}},
	{"cyrillic", "Добро пожаловать домой", "Добро пожаловать сюда",
		[]Segment{eq("Добро пожаловать "), del("домой"), ins("сюда")}},
	{"devanagari", "नमस्ते दुनिया", "नमस्ते संसार",
		[]Segment{eq("नमस्ते "), del("दुनिया"), ins("संसार")}},
	{"ideographs", "日本語の文章", "日本語の文書",
		[]Segment{eq("日本語の文"), del("章"), ins("書")}},
	{"emoji", "👨\u200d👩\u200d👧 family", "👨\u200d👩\u200d👦 family",
		[]Segment{del("👨\u200d👩\u200d👧"), ins("👨\u200d👩\u200d👦"), eq(" family")}},
	{"invalid utf-8", "a \xff b", "a \xfe b",
		[]Segment{eq("a "), del("\xff"), ins("\xfe"), eq(" b")}},
}

func TestDiff(t *testing.T) {
	for _, tt := range diffTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Diff(tt.a, tt.b)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff(%q, %q)\n got %v\nwant %v", tt.a, tt.b, got, tt.want)
			}
			checkSegments(t, tt.a, tt.b, got)
		})
	}
}

// checkSegments checks what Diff promises of any result: the segments
// rebuild both texts, none is empty, and neighbours differ in Op.
func checkSegments(t *testing.T, a, b string, segs []Segment) {
	t.Helper()
	var ra, rb strings.Builder
	for i, s := range segs {
		if s.Text == "" {
			t.Errorf("segment %d is empty: %v", i, segs)
		}
		if i > 0 && segs[i-1].Op == s.Op {
			t.Errorf("segments %d and %d are both %v: %v", i-1, i, s.Op, segs)
		}
		switch s.Op {
		case Equal:
			ra.WriteString(s.Text)
			rb.WriteString(s.Text)
		case Delete:
			ra.WriteString(s.Text)
		case Insert:
			rb.WriteString(s.Text)
		default:
			t.Errorf("segment %d has %v", i, s.Op)
		}
	}
	if ra.String() != a {
		t.Errorf("Equal and Delete segments give %q, want %q", ra.String(), a)
	}
	if rb.String() != b {
		t.Errorf("Equal and Insert segments give %q, want %q", rb.String(), b)
	}
}

func FuzzDiff(f *testing.F) {
	for _, tt := range diffTests {
		f.Add(tt.a, tt.b)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		checkSegments(t, a, b, Diff(a, b))
	})
}

// prose returns n words of made-up text, heavy with common words as prose
// is, in sentences of up to a dozen words.
func prose(r *rand.Rand, n int) []string {
	vocab := strings.Fields(`the the the the a a of of and and to in is that
		for it as with was on be by this are or from at an which community
		service local support people health council money advice housing
		help group share time free food bank referral charity volunteer`)
	words := make([]string, n)
	for i := range words {
		words[i] = vocab[r.IntN(len(vocab))]
		if r.IntN(12) == 0 {
			words[i] += "."
		}
	}
	return words
}

// TestDiffLong checks that one word changed in 2,000 shows as just that.
func TestDiffLong(t *testing.T) {
	words := prose(rand.New(rand.NewPCG(1, 2)), 2000)
	a := strings.Join(words, " ")
	old := strings.TrimSuffix(words[1234], ".")
	words[1234] = strings.Replace(words[1234], old, "changed", 1)
	b := strings.Join(words, " ")

	segs := Diff(a, b)
	checkSegments(t, a, b, segs)
	want := []Segment{del(old), ins("changed")}
	if got := changes(segs); !reflect.DeepEqual(got, want) {
		t.Errorf("changes = %v, want %v", got, want)
	}
}

// TestDiffRepeatedWords guards against difflib's autojunk heuristic. With
// changes at both ends the whole text goes to the matcher, and in a text this
// long from a small vocabulary every word recurs often enough that autojunk
// would ignore them all, find little in common and show most of the text
// replaced.
func TestDiffRepeatedWords(t *testing.T) {
	vocab := strings.Fields(`the a of and to in is that for it as with was on be
		by this are or from at an which community service local support people
		health council money advice housing help group share time free food`)
	r := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 2000)
	for i := range words {
		words[i] = vocab[r.IntN(len(vocab))]
	}
	a := strings.Join(words, " ")
	var want []Segment
	for _, i := range []int{0, 1234, 1999} {
		want = append(want, del(words[i]), ins("changed"))
		words[i] = "changed"
	}
	b := strings.Join(words, " ")

	segs := Diff(a, b)
	checkSegments(t, a, b, segs)
	if got := changes(segs); !reflect.DeepEqual(got, want) {
		if len(got) > 10 {
			got = got[:10]
		}
		t.Errorf("changes = %.60v, want %v", got, want)
	}
}

// changes returns the segments other than Equal.
func changes(segs []Segment) []Segment {
	var out []Segment
	for _, s := range segs {
		if s.Op != Equal {
			out = append(out, s)
		}
	}
	return out
}

// TestDiffRepetitive checks that texts made to be slow to match, such as a
// word repeated a thousand times, still diff quickly and correctly.
func TestDiffRepetitive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	random := func(n int, words ...string) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[r.IntN(len(words))])
			b.WriteString(" ")
		}
		return b.String()
	}
	tests := []struct{ name, a, b string }{
		{"one word", strings.Repeat("a ", 5000), strings.Repeat("a ", 4000)},
		{"two words swapped", strings.Repeat("a b ", 2500), strings.Repeat("b a ", 2500)},
		{"two words at random", random(5000, "a", "b"), random(5000, "a", "b")},
		{"three words at random", "x " + random(5000, "a", "b", "c.") + "x", "y " + random(5000, "a", "b", "c.") + "y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			segs := Diff(tt.a, tt.b)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Diff took %v", d)
			}
			checkSegments(t, tt.a, tt.b, segs)
		})
	}
}

// TestDiffRandomEdits checks the reconstruction property on long texts with
// many edits, beyond what the fuzzer's short inputs reach.
func TestDiffRandomEdits(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 50 {
		words := prose(r, 50+r.IntN(400))
		a := strings.Join(words, " ")
		for range 1 + r.IntN(20) {
			i := r.IntN(len(words))
			switch r.IntN(3) {
			case 0:
				words[i] = "edit"
			case 1:
				words = append(words[:i], words[i+1:]...)
			case 2:
				words = append(words[:i], append([]string{"new\n\nwords"}, words[i:]...)...)
			}
		}
		b := strings.Join(words, " ")
		checkSegments(t, a, b, Diff(a, b))
	}
}

func TestStats(t *testing.T) {
	tests := []struct {
		a, b     string
		ins, del int
	}{
		{"", "", 0, 0},
		{"same words", "same words", 0, 0},
		{"", "three new words", 3, 0},
		{"three old words", "", 0, 3},
		{"The cat sat.", "The dog sat.", 1, 1},
		{"the quick brown fox", "the slow red fox", 2, 2},
		{"A cat. It sat.", "A cat. It was big. It sat.", 3, 0},
		{"Done.", "Done!", 0, 0},
		{"don't stop", "do not stop", 2, 1},
		{"the cat\nsat down", "the cat sat\ndown", 0, 0},
		{"日本語", "日本語の文書", 3, 0},
	}
	for _, tt := range tests {
		gotIns, gotDel := Stats(Diff(tt.a, tt.b))
		if gotIns != tt.ins || gotDel != tt.del {
			t.Errorf("Stats(Diff(%q, %q)) = %d, %d; want %d, %d", tt.a, tt.b, gotIns, gotDel, tt.ins, tt.del)
		}
	}
}

func TestOpString(t *testing.T) {
	for op, want := range map[Op]string{Equal: "Equal", Insert: "Insert", Delete: "Delete", 7: "Op(7)"} {
		if got := op.String(); got != want {
			t.Errorf("Op(%d).String() = %q, want %q", int(op), got, want)
		}
	}
}

func BenchmarkDiff(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	words := prose(r, 600)
	old := strings.Join(words, " ")
	// Amend it as an editor might: a few words swapped, a sentence cut
	// and another added.
	for _, i := range []int{10, 90, 200, 310, 400, 520} {
		words[i] = "amended"
	}
	words = append(words[:150], words[165:]...)
	words = append(words[:300], append(strings.Fields("This sentence is new to the definition."), words[300:]...)...)
	cur := strings.Join(words, " ")
	b.SetBytes(int64(len(old)))
	for b.Loop() {
		Diff(old, cur)
	}
}

func ExampleDiff() {
	for _, s := range Diff("A food bank gives out food.", "A food bank hands out free food.") {
		fmt.Printf("%v %q\n", s.Op, s.Text)
	}
	fmt.Println(Stats(Diff("A food bank gives out food.", "A food bank hands out free food.")))
	// Output:
	// Equal "A food bank "
	// Delete "gives"
	// Insert "hands"
	// Equal " out "
	// Insert "free "
	// Equal "food."
	// 2 1
}
