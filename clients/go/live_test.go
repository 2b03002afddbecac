package kobometer

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// liveEvents is how many events the live test sends.
const liveEvents = 5

// liveProxy forwards everything to upstream and counts requests. With
// dropFirstIngest, the first POST /v1/events is forwarded and answered by the
// server, and then the client's connection is closed without that answer: the
// events are stored but the client cannot know it.
type liveProxy struct {
	*httptest.Server
	dropped  atomic.Bool
	requests atomic.Int64
	mu       sync.Mutex
	status   int
	answer   []byte
}

// lostAnswer is what the server answered to the request whose answer was dropped.
func (p *liveProxy) lostAnswer() (int, []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status, p.answer
}

func newProxy(t *testing.T, upstream *url.URL, dropFirstIngest bool) *liveProxy {
	t.Helper()
	proxy := &liveProxy{}
	proxy.dropped.Store(!dropFirstIngest)
	forward := httputil.NewSingleHostReverseProxy(upstream)
	proxy.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxy.requests.Add(1)
		if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/v1/events") || !proxy.dropped.CompareAndSwap(false, true) {
			forward.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("proxy: reading the request: %v", err)
			return
		}
		target := *upstream
		target.Path = strings.TrimRight(upstream.Path, "/") + r.URL.Path
		outgoing, _ := http.NewRequest(r.Method, target.String(), bytes.NewReader(body))
		outgoing.Header = r.Header.Clone()
		resp, err := http.DefaultClient.Do(outgoing)
		if err != nil {
			t.Errorf("proxy: forwarding: %v", err)
			return
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		proxy.mu.Lock()
		proxy.status, proxy.answer = resp.StatusCode, answer
		proxy.mu.Unlock()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			_ = conn.Close()
		}
	}))
	t.Cleanup(proxy.Close)
	return proxy
}

// live is where the live tests run: set KOBOMETER_URL and KOBOMETER_API_KEY
// (a key with events:write and usage:read, on a server with a count meter
// named KOBOMETER_METER, default "api_call", over events named "api_call").
// KOBOMETER_CUSTOMER picks a customer without a subscription (default: a
// fresh one); KOBOMETER_KEYS_OUT, if set, receives the JSON list of
// idempotency keys the server stored.
type live struct {
	baseURL, apiKey, customer, meter string
	upstream                         *url.URL
}

func liveSettings(t *testing.T) live {
	t.Helper()
	settings := live{baseURL: os.Getenv("KOBOMETER_URL"), apiKey: os.Getenv("KOBOMETER_API_KEY")}
	if settings.baseURL == "" || settings.apiKey == "" {
		t.Skip("set KOBOMETER_URL and KOBOMETER_API_KEY to run against a server")
	}
	upstream, err := url.Parse(settings.baseURL)
	if err != nil {
		t.Fatal(err)
	}
	settings.upstream = upstream
	settings.customer = os.Getenv("KOBOMETER_CUSTOMER")
	if settings.customer == "" {
		var random [6]byte
		_, _ = rand.Read(random[:])
		settings.customer = "cus_go_" + hex.EncodeToString(random[:])
	}
	settings.meter = os.Getenv("KOBOMETER_METER")
	if settings.meter == "" {
		settings.meter = "api_call"
	}
	return settings
}

// TestLiveRetryAfterALostAnswerCountsOnce loses the answer to an ingest the
// server stored; the client's retry must be answered duplicate and the usage
// must count each event once.
func TestLiveRetryAfterALostAnswerCountsOnce(t *testing.T) {
	live := liveSettings(t)
	baseURL, apiKey, customer, meter := live.baseURL, live.apiKey, live.customer, live.meter
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	proxy := newProxy(t, live.upstream, true)
	client := New(proxy.URL, apiKey, WithBackoff(10*time.Millisecond, 200*time.Millisecond))
	start := time.Now().UTC().Add(-time.Minute)
	events := make([]Event, liveEvents)
	for i := range events {
		events[i] = Event{
			EventName:  "api_call",
			CustomerID: customer,
			Timestamp:  start.Add(time.Duration(i)*time.Second + 123456789), // nanoseconds on the wire
			Properties: map[string]any{"tokens": 100 * (i + 1), "model": "large"},
		}
	}

	result, err := client.Ingest(ctx, events)
	if err != nil {
		t.Fatal(err)
	}
	status, answer := proxy.lostAnswer()
	if status != http.StatusOK {
		t.Fatalf("the first attempt must reach the server and lose its answer: status %d %s", status, answer)
	}
	var lost IngestResult
	if err := json.Unmarshal(answer, &lost); err != nil || lost.Accepted != liveEvents {
		t.Fatalf("the lost answer must have accepted every event: %s", answer)
	}
	if result.Accepted != 0 || result.Duplicates != liveEvents || len(result.Results) != liveEvents {
		t.Fatalf("the retry must find every event already stored: %+v", result)
	}
	keys := make([]string, liveEvents)
	for i, r := range result.Results {
		if r.Status != StatusDuplicate || r.IdempotencyKey != lost.Results[i].IdempotencyKey || !uuidV7.MatchString(r.IdempotencyKey) {
			t.Fatalf("results[%d] = %+v; the lost answer had %+v", i, r, lost.Results[i])
		}
		keys[i] = r.IdempotencyKey
	}

	usage, err := client.Usage(ctx, UsageRequest{CustomerID: customer, Meter: meter, From: start.Add(-time.Hour), To: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if usage.Quantity.String() != "5" {
		t.Fatalf("usage must count each event once: got %s, want %d", usage.Quantity, liveEvents)
	}

	again := make([]Event, liveEvents)
	copy(again, events)
	for i := range again {
		again[i].IdempotencyKey = keys[i]
	}
	resent, err := New(baseURL, apiKey).Ingest(ctx, again)
	if err != nil {
		t.Fatal(err)
	}
	if resent.Duplicates != liveEvents || resent.Accepted != 0 || resent.Conflicts != 0 {
		t.Fatalf("re-sending the same keys and payloads must be all duplicates: %+v", resent)
	}

	if out := os.Getenv("KOBOMETER_KEYS_OUT"); out != "" {
		encoded, _ := json.Marshal(map[string]any{"customer_id": customer, "keys": keys})
		if err := os.WriteFile(out, encoded, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLiveAnswersAndErrors reads real answers: an entitlement check for a
// customer without a subscription, a rejected event, and 4xx errors that
// come back as *APIError after a single attempt.
func TestLiveAnswersAndErrors(t *testing.T) {
	live := liveSettings(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	proxy := newProxy(t, live.upstream, false)
	client := New(proxy.URL, live.apiKey, WithBackoff(10*time.Millisecond, 200*time.Millisecond))

	check, err := client.Check(ctx, CheckRequest{CustomerID: live.customer, Meter: live.meter, Quantity: 2})
	if err != nil {
		t.Fatal(err)
	}
	if check.Allowed || check.Reason != ReasonNoSubscription || check.Limit != nil || check.PeriodStart != "" {
		t.Errorf("check without a subscription: %+v", check)
	}

	result, err := client.Ingest(ctx, []Event{{EventName: "not a name", CustomerID: live.customer}})
	if err != nil {
		t.Fatal(err)
	}
	if result.Rejected != 1 || result.Results[0].Status != StatusRejected || result.Results[0].Error == nil ||
		result.Results[0].Error.Path != "event_name" || !uuidV7.MatchString(result.Results[0].IdempotencyKey) {
		t.Errorf("a bad event is rejected alone: %+v", result)
	}

	window := UsageRequest{CustomerID: live.customer, Meter: "no_such_meter", From: time.Now().Add(-time.Hour), To: time.Now()}
	oversized := make([]Event, 10001) // past the body cap and the batch cap
	for i := range oversized {
		oversized[i] = Event{EventName: "api_call", CustomerID: live.customer, Properties: map[string]any{"note": strings.Repeat("x", 200)}}
	}
	cases := []struct {
		name   string
		call   func(*Client) error
		client *Client
		status int
		code   string
	}{
		{"unknown meter", func(c *Client) error { _, err := c.Usage(ctx, window); return err }, client, 404, "NOT_FOUND"},
		{"negative quantity", func(c *Client) error {
			_, err := c.Check(ctx, CheckRequest{CustomerID: live.customer, Meter: live.meter, Quantity: -1})
			return err
		}, client, 400, "INVALID_QUERY"},
		{"empty batch", func(c *Client) error { _, err := c.Ingest(ctx, nil); return err }, client, 400, "INVALID_BATCH"},
		{"oversized batch", func(c *Client) error { _, err := c.Ingest(ctx, oversized); return err }, client, 413, "PAYLOAD_TOO_LARGE"},
		{"unknown key", func(c *Client) error {
			_, err := c.Check(ctx, CheckRequest{CustomerID: live.customer, Meter: live.meter})
			return err
		}, New(proxy.URL, "kbm_sk_not_a_key"), 401, "UNAUTHENTICATED"},
	}
	for _, tc := range cases {
		before := proxy.requests.Load()
		err := tc.call(tc.client)
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Code != tc.code || apiErr.Message == "" {
			t.Errorf("%s: want %d %s, got %v", tc.name, tc.status, tc.code, err)
		}
		if attempts := proxy.requests.Load() - before; attempts != 1 {
			t.Errorf("%s: a %d is not retried, got %d attempts", tc.name, tc.status, attempts)
		}
	}
}
