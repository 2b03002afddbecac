package kobometer

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
	"time"
)

var uuidV7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestIngestSendsTheDocumentedRequest(t *testing.T) {
	fake := newFakeServer(t, acceptAll)
	at := time.Date(2026, 11, 30, 12, 0, 0, 123456789, time.FixedZone("WAT", 3600))
	events := sampleEvents()
	events[0].Timestamp = at
	events[1].Timestamp = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

	result, err := fastClient(fake, WithUserAgent("meter-test/1")).Ingest(context.Background(), events)
	if err != nil {
		t.Fatal(err)
	}
	seen := fake.seen()
	if len(seen) != 1 {
		t.Fatalf("want 1 request, got %d", len(seen))
	}
	got := seen[0]
	if got.Method != "POST" || got.URL != "/v1/events" {
		t.Errorf("request line: %s %s", got.Method, got.URL)
	}
	for header, want := range map[string]string{
		"Authorization": "Bearer kbm_sk_test",
		"Content-Type":  "application/json",
		"User-Agent":    "meter-test/1",
	} {
		if got.Header.Get(header) != want {
			t.Errorf("%s: want %q, got %q", header, want, got.Header.Get(header))
		}
	}
	var body struct {
		Events []map[string]any `json:"events"`
	}
	if err := json.Unmarshal(got.Body, &body); err != nil {
		t.Fatal(err)
	}
	if stamp := body.Events[0]["timestamp"]; stamp != "2026-11-30T12:00:00.123456789+01:00" {
		t.Errorf("timestamp with nanoseconds and offset: got %v", stamp)
	}
	if stamp := body.Events[1]["timestamp"]; stamp != "2026-01-02T03:04:05Z" {
		t.Errorf("whole-second timestamp: got %v", stamp)
	}
	if _, present := body.Events[2]["timestamp"]; present {
		t.Error("a zero timestamp must be left out")
	}
	if props := body.Events[0]["properties"].(map[string]any); props["tokens"] != 1200.0 || props["model"] != "large" {
		t.Errorf("properties: %v", props)
	}
	if body.Events[1]["idempotency_key"] != "req_42" {
		t.Errorf("an explicit key is sent as given: %v", body.Events[1]["idempotency_key"])
	}
	for _, i := range []int{0, 2} {
		key, _ := body.Events[i]["idempotency_key"].(string)
		if !uuidV7.MatchString(key) {
			t.Errorf("events[%d]: generated key %q is not a UUIDv7", i, key)
		}
		if result.Results[i].IdempotencyKey != key {
			t.Errorf("results[%d] reports key %q, sent %q", i, result.Results[i].IdempotencyKey, key)
		}
	}
	if body.Events[0]["idempotency_key"] == body.Events[2]["idempotency_key"] {
		t.Error("generated keys must differ")
	}
	if events[0].IdempotencyKey != "" || events[2].IdempotencyKey != "" {
		t.Error("the caller's events must not be modified")
	}
	if result.Accepted != 3 || len(result.Results) != 3 || result.Results[2].Status != StatusAccepted {
		t.Errorf("result: %+v", result)
	}
}

func TestIngestRetriesUnavailableWithIdenticalBodies(t *testing.T) {
	fake := newFakeServer(t, unavailable(), jsonAnswer(500, `{"error":{"code":"INTERNAL_ERROR","message":"internal error"}}`), acceptAll)
	result, err := fastClient(fake).Ingest(context.Background(), sampleEvents())
	if err != nil {
		t.Fatal(err)
	}
	seen := fake.seen()
	if len(seen) != 3 {
		t.Fatalf("want 3 attempts, got %d", len(seen))
	}
	for i := 1; i < len(seen); i++ {
		if !bytes.Equal(seen[i].Body, seen[0].Body) {
			t.Fatalf("attempt %d sent other bytes:\n%s\nvs\n%s", i, seen[i].Body, seen[0].Body)
		}
	}
	if result.Accepted != 3 || !uuidV7.MatchString(result.Results[0].IdempotencyKey) {
		t.Errorf("result: %+v", result)
	}
}

func TestIngestRetriesAConnectionDroppedAfterTheRequestWasRead(t *testing.T) {
	fake := newFakeServer(t, dropConnection, func(w http.ResponseWriter, r *http.Request, body []byte) {
		writeIngestAnswer(w, body, StatusDuplicate)
	})
	result, err := fastClient(fake).Ingest(context.Background(), sampleEvents())
	if err != nil {
		t.Fatal(err)
	}
	seen := fake.seen()
	if len(seen) != 2 {
		t.Fatalf("want 2 attempts, got %d", len(seen))
	}
	if !bytes.Equal(seen[0].Body, seen[1].Body) {
		t.Fatalf("the retry sent other bytes:\n%s\nvs\n%s", seen[1].Body, seen[0].Body)
	}
	if result.Duplicates != 3 || result.Accepted != 0 {
		t.Errorf("the retry is answered duplicate for every event: %+v", result)
	}
}

func TestIngestRejectsATimestampOutsideRFC3339(t *testing.T) {
	fake := newFakeServer(t, acceptAll)
	events := sampleEvents()
	events[1].Timestamp = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := fastClient(fake).Ingest(context.Background(), events); err == nil {
		t.Fatal("want an error for year 10000")
	}
	if n := len(fake.seen()); n != 0 {
		t.Errorf("nothing may be sent, got %d requests", n)
	}
}
