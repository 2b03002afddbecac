package kobometer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"
)

// Version is this client's version, sent in the default User-Agent.
const Version = "0.1.0"

// maxAnswerBytes bounds how much of an answer is read: far above any answer
// the API gives (an ingest result for 10,000 events is about 1 MB).
const maxAnswerBytes = 32 << 20

// Client calls the kobometer HTTP API. It is safe for concurrent use.
type Client struct {
	baseURL     string
	apiKey      string
	httpClient  *http.Client
	maxRetries  int
	backoffBase time.Duration
	backoffMax  time.Duration
	timeout     time.Duration
	userAgent   string
}

// New returns a client for the API at baseURL (for example
// "https://billing.example.com"; a path prefix is kept) that authenticates
// with apiKey, a secret of the form kbm_sk_….
func New(baseURL, apiKey string, opts ...Option) *Client {
	c := &Client{
		baseURL:     strings.TrimRight(baseURL, "/"),
		apiKey:      apiKey,
		httpClient:  http.DefaultClient,
		maxRetries:  4,
		backoffBase: 100 * time.Millisecond,
		backoffMax:  5 * time.Second,
		timeout:     30 * time.Second,
		userAgent:   fmt.Sprintf("kobometer-go/%s (%s)", Version, runtime.Version()),
	}
	for _, opt := range opts {
		opt(c)
	}
	return c
}

// request is one API call: the same method, URL and body bytes on every attempt.
type request struct {
	method string
	path   string
	query  url.Values
	body   []byte
}

func (r request) String() string { return r.method + " " + r.path }

// do sends req, retrying what may succeed later, and decodes a 2xx answer into out.
func (c *Client) do(ctx context.Context, req request, out any) error {
	target := c.baseURL + req.path
	if len(req.query) > 0 {
		target += "?" + req.query.Encode()
	}
	var lastErr error
	for attempt := 0; ; attempt++ {
		answer, err := c.attempt(ctx, req, target)
		if err == nil {
			if err := json.Unmarshal(answer, out); err != nil {
				return fmt.Errorf("kobometer: %s: unreadable answer: %w", req, err)
			}
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("kobometer: %s: %w (last error: %v)", req, ctx.Err(), err)
		}
		apiErr, isAPIError := err.(*APIError)
		if isAPIError && !apiErr.Temporary() {
			return apiErr
		}
		lastErr = err
		if attempt >= c.maxRetries {
			break
		}
		wait := c.backoff(attempt)
		if isAPIError && apiErr.RetryAfter > 0 {
			wait = apiErr.RetryAfter
			if wait > c.backoffMax {
				wait = c.backoffMax
			}
		}
		if err := sleep(ctx, wait); err != nil {
			return fmt.Errorf("kobometer: %s: %w (last error: %v)", req, err, lastErr)
		}
	}
	if apiErr, ok := lastErr.(*APIError); ok {
		return apiErr
	}
	attempts := "1 attempt"
	if c.maxRetries > 0 {
		attempts = fmt.Sprintf("%d attempts", c.maxRetries+1)
	}
	return fmt.Errorf("kobometer: %s failed after %s: %w", req, attempts, lastErr)
}

// attempt sends the request once and returns a 2xx answer's body; a non-2xx
// answer is an *APIError, anything else a network error.
func (c *Client) attempt(ctx context.Context, req request, target string) ([]byte, error) {
	if c.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.timeout)
		defer cancel()
	}
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	httpReq, err := http.NewRequestWithContext(ctx, req.method, target, body)
	if err != nil {
		return nil, err
	}
	httpReq.Header.Set("Authorization", "Bearer "+c.apiKey)
	httpReq.Header.Set("Accept", "application/json")
	httpReq.Header.Set("User-Agent", c.userAgent)
	if req.body != nil {
		httpReq.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.httpClient.Do(httpReq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newAPIError(resp.StatusCode, resp.Header, answer)
	}
	return answer, nil
}
