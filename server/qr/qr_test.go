package qr

import (
	"image"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// TestSVGReads draws codes and reads them back as a phone would, with a
// decoder that shares no code with the encoder.
func TestSVGReads(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"https://glossary.example.org/join?lang=es&code=HX7K-2M9Q-4TVB",
		"http://127.0.0.1:8080/join?lang=en&code=ABCD-EFGH-JKLM",
		"https://wordgarden.southwark.gov.uk/join?lang=pt&code=" + strings.Repeat("Z", 40),
	} {
		svg, err := SVG(text, "QR code")
		if err != nil {
			t.Fatal(err)
		}
		if got := decode(t, string(svg)); got != text {
			t.Errorf("the code reads %q, want %q", got, text)
		}
	}
}

func TestSVGLabel(t *testing.T) {
	t.Parallel()
	svg, err := SVG("https://example.org/", `Code "QR" <de> l’invitation`)
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.Contains(s, `role="img" aria-label="Code &#34;QR&#34; &lt;de&gt; l’invitation"`) {
		t.Errorf("label not escaped: %.200s", s)
	}
	if regexp.MustCompile(`<svg[^>]* (width|height)=`).MatchString(s) {
		t.Errorf("the svg sets its own size, which is CSS's to set: %.200s", s)
	}
}

func TestSVGTooLong(t *testing.T) {
	t.Parallel()
	// Version 40 at medium correction holds 2,331 bytes.
	if _, err := SVG(strings.Repeat("a", 3000), "QR code"); err == nil {
		t.Error("3,000 bytes made a QR code")
	}
}

var (
	viewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	run     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// decode paints the SVG's runs into an image, 6 pixels a module, and reads
// it with gozxing.
func decode(t *testing.T, svg string) string {
	t.Helper()
	m := viewBox.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox: %.200s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	const scale = 6
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for _, r := range run.FindAllStringSubmatch(svg, -1) {
		x, _ := strconv.Atoi(r[1])
		y, _ := strconv.Atoi(r[2])
		w, _ := strconv.Atoi(r[3])
		if r[3] != r[4] {
			t.Fatalf("a run that does not close: %s", r[0])
		}
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("read the code: %v", err)
	}
	return res.GetText()
}
