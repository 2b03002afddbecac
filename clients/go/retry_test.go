package kobometer

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryAfterIsHonoured(t *testing.T) {
	fake := newFakeServer(t, jsonAnswer(429, `{"error":{"code":"RATE_LIMITED","message":"slow down"}}`, "Retry-After", "1"), acceptAll)
	client := New(fake.URL, "kbm_sk_test", WithBackoff(time.Millisecond, 3*time.Second))
	start := time.Now()
	if _, err := client.Ingest(context.Background(), sampleEvents()); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < 950*time.Millisecond {
		t.Errorf("Retry-After: 1 must delay the retry by a second, retried after %v", elapsed)
	}
	if n := len(fake.seen()); n != 2 {
		t.Errorf("want 2 attempts, got %d", n)
	}
}

func TestRequestTimeoutIsRetried(t *testing.T) {
	fake := newFakeServer(t, jsonAnswer(408, `{"error":{"code":"REQUEST_TIMEOUT","message":"the body did not arrive within 10000 ms"}}`), acceptAll)
	client := New(fake.URL, "kbm_sk_test", WithBackoff(time.Millisecond, 20*time.Millisecond))
	if _, err := client.Ingest(context.Background(), sampleEvents()); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.seen()); n != 2 {
		t.Errorf("want 2 attempts, got %d", n)
	}
}

func TestRetryAfterIsCappedByTheBackoffMaximum(t *testing.T) {
	fake := newFakeServer(t, jsonAnswer(429, `{"error":{"code":"RATE_LIMITED","message":"slow down"}}`, "Retry-After", "60"), acceptAll)
	client := New(fake.URL, "kbm_sk_test", WithBackoff(time.Millisecond, 20*time.Millisecond))
	start := time.Now()
	if _, err := client.Ingest(context.Background(), sampleEvents()); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("the wait must be capped at 20ms, took %v", elapsed)
	}
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	cases := []struct {
		status int
		body   string
		code   string
		path   string
	}{
		{400, `{"error":{"code":"INVALID_BATCH","message":"events must hold 1 to 10000 events","path":"events"}}`, "INVALID_BATCH", "events"},
		{401, `{"error":{"code":"UNAUTHENTICATED","message":"unknown API key"}}`, "UNAUTHENTICATED", ""},
		{403, `{"error":{"code":"FORBIDDEN","message":"the key lacks events:write","details":{"scope":"events:write"}}}`, "FORBIDDEN", ""},
		{422, `{"error":{"code":"INVALID_QUERY","message":"from must be RFC 3339","path":"from"}}`, "INVALID_QUERY", "from"},
	}
	for _, tc := range cases {
		fake := newFakeServer(t, jsonAnswer(tc.status, tc.body), acceptAll)
		_, err := fastClient(fake).Ingest(context.Background(), sampleEvents())
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("%d: want an *APIError, got %v", tc.status, err)
		}
		if apiErr.StatusCode != tc.status || apiErr.Code != tc.code || apiErr.Path != tc.path || apiErr.Message == "" {
			t.Errorf("%d: fields: %+v", tc.status, apiErr)
		}
		if apiErr.Temporary() {
			t.Errorf("%d must not be temporary", tc.status)
		}
		if n := len(fake.seen()); n != 1 {
			t.Errorf("%d: want 1 attempt, got %d", tc.status, n)
		}
	}
}

func TestAPIErrorDetailsAndMessage(t *testing.T) {
	fake := newFakeServer(t, jsonAnswer(403, `{"error":{"code":"FORBIDDEN","message":"the key lacks events:write","path":"authorization","details":{"scope":"events:write"}}}`))
	_, err := fastClient(fake).Ingest(context.Background(), sampleEvents())
	apiErr := err.(*APIError)
	if apiErr.Details["scope"] != "events:write" {
		t.Errorf("details: %v", apiErr.Details)
	}
	if want := "kobometer: 403 FORBIDDEN at authorization: the key lacks events:write"; err.Error() != want {
		t.Errorf("Error():\nwant %s\ngot  %s", want, err.Error())
	}
}

func TestAnAnswerWithoutTheErrorEnvelopeStillExplainsItself(t *testing.T) {
	fake := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		http.Error(w, "bad gateway from the load balancer", http.StatusBadGateway)
	})
	_, err := fastClient(fake, WithMaxRetries(1)).Ingest(context.Background(), sampleEvents())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "HTTP_502" || !strings.Contains(apiErr.Message, "load balancer") {
		t.Fatalf("got %v", err)
	}
	if n := len(fake.seen()); n != 2 {
		t.Errorf("a 502 is retried: want 2 attempts, got %d", n)
	}
}

func TestExhaustedRetriesReturnTheLastAPIError(t *testing.T) {
	fake := newFakeServer(t, jsonAnswer(503, `{"error":{"code":"STORAGE_UNAVAILABLE","message":"retry"}}`, "Retry-After", "1"))
	_, err := fastClient(fake, WithMaxRetries(2)).Ingest(context.Background(), sampleEvents())
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "STORAGE_UNAVAILABLE" || apiErr.RetryAfter != time.Second {
		t.Fatalf("got %#v", err)
	}
	if n := len(fake.seen()); n != 3 {
		t.Errorf("WithMaxRetries(2) makes 3 attempts, got %d", n)
	}
}

func TestExhaustedRetriesWrapTheNetworkError(t *testing.T) {
	fake := newFakeServer(t, dropConnection)
	_, err := fastClient(fake, WithMaxRetries(2)).Ingest(context.Background(), sampleEvents())
	if err == nil || !strings.Contains(err.Error(), "failed after 3 attempts") || errors.Unwrap(err) == nil {
		t.Fatalf("got %v", err)
	}
	if n := len(fake.seen()); n != 3 {
		t.Errorf("want 3 attempts, got %d", n)
	}
}

func TestCancellingTheContextStopsRetrying(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	fake := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		cancel()
		unavailable()(w, r, body)
	})
	client := New(fake.URL, "kbm_sk_test", WithBackoff(time.Second, time.Second))
	start := time.Now()
	_, err := client.Ingest(ctx, sampleEvents())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if elapsed := time.Since(start); elapsed > 500*time.Millisecond {
		t.Errorf("cancel must end the wait at once, took %v", elapsed)
	}
	if n := len(fake.seen()); n != 1 {
		t.Errorf("want 1 attempt, got %d", n)
	}
}

func TestAnAttemptThatTimesOutIsRetried(t *testing.T) {
	fake := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}, acceptAll)
	result, err := fastClient(fake, WithTimeout(100*time.Millisecond)).Ingest(context.Background(), sampleEvents())
	if err != nil {
		t.Fatal(err)
	}
	if result.Accepted != 3 || len(fake.seen()) != 2 {
		t.Errorf("want a second attempt that succeeds, got %+v after %d attempts", result, len(fake.seen()))
	}
}

func TestBackoffStaysWithinItsCeiling(t *testing.T) {
	client := New("http://unused", "kbm_sk_test", WithBackoff(10*time.Millisecond, 50*time.Millisecond))
	for attempt := 0; attempt < 40; attempt++ {
		ceiling := 10 * time.Millisecond << uint(attempt)
		if attempt >= 3 {
			ceiling = 50 * time.Millisecond
		}
		for i := 0; i < 50; i++ {
			if wait := client.backoff(attempt); wait < 0 || wait >= ceiling {
				t.Fatalf("attempt %d: wait %v outside [0, %v)", attempt, wait, ceiling)
			}
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"-3":                            0,
		"2":                             2 * time.Second,
		"0.25":                          250 * time.Millisecond,
		"soon":                          0,
		"Mon, 30 Nov 2026 12:00:05 GMT": 5 * time.Second,
		"Mon, 30 Nov 2026 11:00:00 GMT": 0,
	}
	for value, want := range cases {
		if got := parseRetryAfter(value, now); got != want {
			t.Errorf("%q: want %v, got %v", value, want, got)
		}
	}
}
