package kobometer

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
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

// droppingProxy forwards everything to upstream, except that the first
// POST /v1/events is forwarded, answered by the server, and then the client's
// connection is closed without that answer: the events are stored but the
// client cannot know it.
type droppingProxy struct {
	*httptest.Server
	dropped atomic.Bool
	mu      sync.Mutex
	status  int
	answer  []byte
}

// lostAnswer is what the server answered to the request whose answer was dropped.
func (p *droppingProxy) lostAnswer() (int, []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.status, p.answer
}

func newDroppingProxy(t *testing.T, upstream *url.URL) *droppingProxy {
	t.Helper()
	proxy := &droppingProxy{}
	forward := httputil.NewSingleHostReverseProxy(upstream)
	proxy.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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

// TestLiveRetryAfterALostAnswerCountsOnce runs against a real server when
// KOBOMETER_URL and KOBOMETER_API_KEY are set (the key needs events:write
// and usage:read, and the server a count meter named KOBOMETER_METER,
// default "api_call", over events named "api_call"). KOBOMETER_CUSTOMER
// picks the customer (default: a fresh one); KOBOMETER_KEYS_OUT, if set,
// receives the JSON list of idempotency keys the server stored.
func TestLiveRetryAfterALostAnswerCountsOnce(t *testing.T) {
	baseURL, apiKey := os.Getenv("KOBOMETER_URL"), os.Getenv("KOBOMETER_API_KEY")
	if baseURL == "" || apiKey == "" {
		t.Skip("set KOBOMETER_URL and KOBOMETER_API_KEY to run against a server")
	}
	upstream, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	customer := os.Getenv("KOBOMETER_CUSTOMER")
	if customer == "" {
		var random [6]byte
		_, _ = rand.Read(random[:])
		customer = "cus_go_" + hex.EncodeToString(random[:])
	}
	meter := os.Getenv("KOBOMETER_METER")
	if meter == "" {
		meter = "api_call"
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	proxy := newDroppingProxy(t, upstream)
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
