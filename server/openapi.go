package server

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPIDoc describes the API. It is a file, not built in Go, so that it
// reads as the document it is and changes in review like any other;
// openapi_test.go keeps it true: every /api route is in it, it is valid
// OpenAPI 3.1, and the API's real answers match its schemas.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI serves the description of the API.
func openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openAPIDoc)
}
