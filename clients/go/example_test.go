package kobometer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	kobometer "github.com/kobometer/kobometer/clients/go"
)

// Record two API calls, then read the month's usage back and ask whether one
// more call is allowed.
func Example() {
	server := startExampleServer() // stands in for your kobometer HTTP API
	defer server.Close()

	client := kobometer.New(server.URL, "kbm_sk_example",
		kobometer.WithMaxRetries(4),
		kobometer.WithBackoff(100*time.Millisecond, 5*time.Second),
	)
	ctx := context.Background()

	result, err := client.Ingest(ctx, []kobometer.Event{
		// A key of your own (a request id) makes re-sending the event later safe.
		{EventName: "api_call", CustomerID: "cus_1", IdempotencyKey: "req_7f3a", Properties: map[string]any{"tokens": 1200}},
		// Without one, a key is generated once and kept across retries.
		{EventName: "api_call", CustomerID: "cus_1", Timestamp: time.Now()},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("accepted:", result.Accepted, "first key:", result.Results[0].IdempotencyKey)

	month := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	usage, err := client.Usage(ctx, kobometer.UsageRequest{CustomerID: "cus_1", Meter: "api_call", From: month, To: month.AddDate(0, 1, 0)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("usage:", usage.Quantity)

	check, err := client.Check(ctx, kobometer.CheckRequest{CustomerID: "cus_1", Meter: "api_call", Quantity: 1})
	var apiErr *kobometer.APIError
	switch {
	case errors.As(err, &apiErr):
		fmt.Println("refused:", apiErr.StatusCode, apiErr.Code)
	case err != nil:
		log.Fatal(err) // no answer after every retry
	default:
		fmt.Println("allowed:", check.Allowed, "remaining:", *check.Remaining)
	}
	// Output:
	// accepted: 2 first key: req_7f3a
	// usage: 2
	// allowed: true remaining: 998
}

// startExampleServer answers like a kobometer server for a customer with a
// limit of 1,000 calls who has made two.
func startExampleServer() *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v1/events":
			var body struct {
				Events []struct {
					IdempotencyKey string `json:"idempotency_key"`
				} `json:"events"`
			}
			_ = json.NewDecoder(r.Body).Decode(&body)
			results := []map[string]any{}
			for i, event := range body.Events {
				results = append(results, map[string]any{"index": i, "idempotency_key": event.IdempotencyKey, "status": "accepted"})
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"accepted": len(results), "duplicates": 0, "conflicts": 0, "rejected": 0, "results": results, "warnings": []any{}})
		case "/v1/usage":
			fmt.Fprint(w, `{"customer_id":"cus_1","meter":"api_call","from":"2026-11-01T00:00:00.000Z","to":"2026-12-01T00:00:00.000Z","quantity":2,"precise_quantity":"2"}`)
		case "/v1/entitlements/check":
			fmt.Fprint(w, `{"customer_id":"cus_1","meter":"api_call","allowed":true,"reason":null,"used":2,"limit":1000,"remaining":998,"enforced":true,"period_start":"2026-11-01T00:00:00.000Z","period_end":"2026-12-01T00:00:00.000Z"}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"error":{"code":"ROUTE_NOT_FOUND","message":"no such route"}}`)
		}
	}))
}
