package kobometer

import (
	"net/http"
	"time"
)

// Option configures a Client built by New.
type Option func(*Client)

// WithHTTPClient sends requests through hc instead of a client of the
// package's own. Its Timeout, if any, applies to every attempt on top of
// WithTimeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) {
		if hc != nil {
			c.httpClient = hc
		}
	}
}

// WithMaxRetries sets how many times a failed attempt is retried (default 4,
// so at most 5 attempts). Zero disables retries; a negative value is read as
// zero.
func WithMaxRetries(n int) Option {
	return func(c *Client) {
		if n < 0 {
			n = 0
		}
		c.maxRetries = n
	}
}

// WithBackoff sets the backoff between attempts: the wait before retry k
// (from 0) is a random duration in [0, min(max, base*2^k)) ("full jitter").
// max also caps how long a Retry-After answer is honoured. Defaults: 100ms
// and 5s. Non-positive values keep the defaults.
func WithBackoff(base, max time.Duration) Option {
	return func(c *Client) {
		if base > 0 {
			c.backoffBase = base
		}
		if max > 0 {
			c.backoffMax = max
		}
		if c.backoffMax < c.backoffBase {
			c.backoffMax = c.backoffBase
		}
	}
}

// WithTimeout bounds each attempt (connect, send and read the whole answer;
// default 30s). An attempt that times out is retried like a network error;
// the caller's context bounds the call as a whole. Zero means no per-attempt
// bound.
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		if d >= 0 {
			c.timeout = d
		}
	}
}

// WithUserAgent replaces the User-Agent header sent with every request.
func WithUserAgent(userAgent string) Option {
	return func(c *Client) {
		if userAgent != "" {
			c.userAgent = userAgent
		}
	}
}
