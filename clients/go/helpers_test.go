package kobometer

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// recordedRequest is what the fake server saw of one attempt.
type recordedRequest struct {
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// fakeServer answers attempt n (from 0) with answers[n], repeating the last
// one, and records every request it read.
type fakeServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests []recordedRequest
}

// answer handles one attempt after its request was read and recorded.
type answer func(w http.ResponseWriter, r *http.Request, body []byte)

func newFakeServer(t *testing.T, answers ...answer) *fakeServer {
	t.Helper()
	fake := &fakeServer{}
	fake.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fake.mu.Lock()
		n := len(fake.requests)
		fake.requests = append(fake.requests, recordedRequest{r.Method, r.URL.String(), r.Header.Clone(), body})
		fake.mu.Unlock()
		if n >= len(answers) {
			n = len(answers) - 1
		}
		answers[n](w, r, body)
	}))
	t.Cleanup(fake.Close)
	return fake
}

func (f *fakeServer) seen() []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recordedRequest(nil), f.requests...)
}

// fastClient is a client against fake whose backoff is too short to slow tests.
func fastClient(fake *fakeServer, opts ...Option) *Client {
	all := append([]Option{WithBackoff(time.Millisecond, 5*time.Millisecond)}, opts...)
	return New(fake.URL, "kbm_sk_test", all...)
}

func jsonAnswer(status int, body string, headers ...string) answer {
	return func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func unavailable() answer {
	return jsonAnswer(503, `{"error":{"code":"STORAGE_UNAVAILABLE","message":"retry"}}`)
}

// acceptAll answers an ingest as the server would the first time it sees
// every key in the body.
func acceptAll(w http.ResponseWriter, _ *http.Request, body []byte) {
	writeIngestAnswer(w, body, StatusAccepted)
}

func writeIngestAnswer(w http.ResponseWriter, body []byte, status string) {
	var sent struct {
		Events []struct {
			IdempotencyKey string `json:"idempotency_key"`
		} `json:"events"`
	}
	if err := json.Unmarshal(body, &sent); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	result := IngestResult{Results: []EventResult{}, Warnings: []Warning{}}
	for i, event := range sent.Events {
		result.Results = append(result.Results, EventResult{Index: i, IdempotencyKey: event.IdempotencyKey, Status: status})
	}
	if status == StatusAccepted {
		result.Accepted = len(sent.Events)
	} else {
		result.Duplicates = len(sent.Events)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(result)
}

// dropConnection closes the connection after the request was read, without
// an answer: the server acted but the client never hears of it.
func dropConnection(w http.ResponseWriter, _ *http.Request, _ []byte) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

func sampleEvents() []Event {
	return []Event{
		{EventName: "api_call", CustomerID: "cus_1", Properties: map[string]any{"tokens": 1200, "model": "large"}},
		{EventName: "api_call", CustomerID: "cus_1", IdempotencyKey: "req_42"},
		{EventName: "api_call", CustomerID: "cus_2"},
	}
}
