package kobometer

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// APIError is a non-2xx answer from the server. Code is the server's
// UPPER_SNAKE error code (for example UNAUTHENTICATED, INVALID_EVENT or
// STORAGE_UNAVAILABLE); when the answer had no readable error body, Code is
// "HTTP_<status>" and Message holds the start of the body.
type APIError struct {
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is the server's machine-readable error code.
	Code string
	// Message is the server's human-readable explanation.
	Message string
	// Path names the offending input (a field or query parameter), if any.
	Path string
	// Details holds extra structured information the server sent, if any.
	Details map[string]any
	// RetryAfter is the wait the server asked for in a Retry-After header
	// (429 and 503 answers), zero when it asked for none.
	RetryAfter time.Duration
}

// Error describes the failure as "kobometer: <status> <code> at <path>: <message>".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kobometer: %d %s", e.StatusCode, e.Code)
	if e.Path != "" {
		fmt.Fprintf(&b, " at %s", e.Path)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// Temporary reports whether retrying the same request later may succeed:
// true for 408 (the body arrived too slowly: nothing was stored), 429 and
// every 5xx.
func (e *APIError) Temporary() bool {
	return e.StatusCode == http.StatusRequestTimeout || e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

type errorEnvelope struct {
	Error *struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Path    string         `json:"path"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

// newAPIError reads an error answer; a body that is not the documented
// envelope still yields an error that says what came back.
func newAPIError(status int, header http.Header, body []byte) *APIError {
	apiErr := &APIError{StatusCode: status, RetryAfter: parseRetryAfter(header.Get("Retry-After"), time.Now())}
	var envelope errorEnvelope
	if json.Unmarshal(body, &envelope) == nil && envelope.Error != nil && envelope.Error.Code != "" {
		apiErr.Code = envelope.Error.Code
		apiErr.Message = envelope.Error.Message
		apiErr.Path = envelope.Error.Path
		apiErr.Details = envelope.Error.Details
		return apiErr
	}
	apiErr.Code = "HTTP_" + strconv.Itoa(status)
	text := strings.TrimSpace(string(body))
	if len(text) > 200 {
		text = text[:200] + "…"
	}
	if text == "" {
		text = http.StatusText(status)
	}
	apiErr.Message = text
	return apiErr
}

// parseRetryAfter accepts delay-seconds (a fraction is tolerated) or an
// HTTP date; anything else, or a time in the past, is no wait.
func parseRetryAfter(value string, now time.Time) time.Duration {
	value = strings.TrimSpace(value)
	if value == "" {
		return 0
	}
	if seconds, err := strconv.ParseFloat(value, 64); err == nil {
		if seconds <= 0 {
			return 0
		}
		if seconds > 24*60*60 {
			seconds = 24 * 60 * 60
		}
		return time.Duration(seconds * float64(time.Second))
	}
	if at, err := http.ParseTime(value); err == nil && at.After(now) {
		return at.Sub(now)
	}
	return 0
}
