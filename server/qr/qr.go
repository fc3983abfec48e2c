// Package qr draws QR codes as inline SVG, for slips printed from a web
// page: an SVG in the page needs no request of its own, prints sharp at any
// size, and is allowed by the site's Content-Security-Policy. The encoding
// itself is github.com/skip2/go-qrcode's.
package qr

import (
	"fmt"
	"html/template"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// SVG is text as a QR code: an <svg> element drawn in black on white with
// the quiet zone the standard asks for, sized by CSS (it has a viewBox and
// no width or height). label is its accessible name.
//
// Medium error correction (15%) survives a crease or a smudged corner of a
// paper slip while keeping the modules large enough for an old phone camera.
func SVG(text, label string) (template.HTML, error) {
	code, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", fmt.Errorf("qr code for %q: %w", text, err)
	}
	bits := code.Bitmap() // with its quiet zone
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges">`,
		n, n, template.HTMLEscapeString(label))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	// One rectangle per run of dark modules along a row keeps the path short.
	for y, row := range bits {
		for x := 0; x < len(row); {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}
