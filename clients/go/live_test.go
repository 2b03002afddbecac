package kobometer

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// liveEvents is how many events the live test sends.
const liveEvents = 5

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
