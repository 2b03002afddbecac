package kobometer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Event is one usage event to record.
type Event struct {
	// EventName is the kind of event, for example "api_call"; meters select
	// events by name.
	EventName string
	// CustomerID is the customer the usage belongs to.
	CustomerID string
	// IdempotencyKey identifies the event forever: sending the same key with
	// the same payload again is answered "duplicate" and counted once. Left
	// empty, Ingest generates one (see NewIdempotencyKey) and reports it in
	// the result.
	IdempotencyKey string
	// Timestamp is when the usage happened; zero lets the server use the
	// time it receives the event. Sent as RFC 3339 with nanoseconds.
	Timestamp time.Time
	// Properties are the event's values that meters sum or filter by, for
	// example {"tokens": 1200, "model": "large"}. Values are strings,
	// numbers, booleans or nil; a number beyond what a float64 holds
	// exactly is sent as a decimal string ("1500.75").
	Properties map[string]any
	// ReservationID, if set, settles that entitlement reservation with this
	// event's real quantity.
	ReservationID string
}

// Statuses of one event in an IngestResult.
const (
	// StatusAccepted means the event was stored now.
	StatusAccepted = "accepted"
	// StatusDuplicate means an event with the same key and payload was
	// stored before (possibly by an earlier attempt of the same call).
	StatusDuplicate = "duplicate"
	// StatusConflict means the key was stored before with another payload.
	StatusConflict = "conflict"
	// StatusRejected means the event is invalid; see EventResult.Error.
	StatusRejected = "rejected"
)

// IngestResult is the server's answer to Ingest: a tally and one result per
// event, in the order sent.
type IngestResult struct {
	// Accepted counts events stored by this call.
	Accepted int `json:"accepted"`
	// Duplicates counts events that were already stored.
	Duplicates int `json:"duplicates"`
	// Conflicts counts keys already stored with another payload.
	Conflicts int `json:"conflicts"`
	// Rejected counts invalid events.
	Rejected int `json:"rejected"`
	// Results holds one entry per event sent.
	Results []EventResult `json:"results"`
	// Warnings are notes on events that were stored anyway.
	Warnings []Warning `json:"warnings"`
}

// EventResult is the outcome for one event.
type EventResult struct {
	// Index is the event's position in the slice given to Ingest.
	Index int `json:"index"`
	// IdempotencyKey is the key used, generated ones included; empty when
	// the server could not read one.
	IdempotencyKey string `json:"idempotency_key"`
	// Status is one of StatusAccepted, StatusDuplicate, StatusConflict and
	// StatusRejected.
	Status string `json:"status"`
	// Error says why the event was rejected or conflicted, if it was.
	Error *EventError `json:"error,omitempty"`
}

// EventError explains a rejected or conflicting event.
type EventError struct {
	// Code is the server's machine-readable error code.
	Code string `json:"code"`
	// Message is the server's human-readable explanation.
	Message string `json:"message"`
	// Path names the offending field, if any.
	Path string `json:"path,omitempty"`
}

// Warning is a note on an event that was stored.
type Warning struct {
	// Index is the event's position in the slice given to Ingest.
	Index int `json:"index"`
	// Code is the server's machine-readable warning code.
	Code string `json:"code"`
	// Message is the server's human-readable explanation.
	Message string `json:"message"`
}

// wireEvent is an Event as the API reads it.
type wireEvent struct {
	EventName      string         `json:"event_name"`
	CustomerID     string         `json:"customer_id"`
	IdempotencyKey string         `json:"idempotency_key"`
	Timestamp      string         `json:"timestamp,omitempty"`
	Properties     map[string]any `json:"properties,omitempty"`
	ReservationID  string         `json:"reservation_id,omitempty"`
}

// Ingest records events (1 to 10,000 per call) with POST /v1/events. Events
// without an IdempotencyKey get one generated before the first attempt; the
// request body is encoded once and the same bytes are re-sent on every
// retry, so an attempt whose answer was lost is answered "duplicate" next
// time and never counted twice. The events slice is not modified: read the
// keys used from the result.
//
// Individual events can be rejected while others are stored: check the
// counts or each result's Status. The server caps a request body (1 MiB by
// default, several thousand small events): a larger batch is refused with
// 413 PAYLOAD_TOO_LARGE, which is not retried; send smaller batches. An error means the batch as a whole was
// refused (an *APIError) or no answer came back after every retry.
func (c *Client) Ingest(ctx context.Context, events []Event) (*IngestResult, error) {
	wire := make([]wireEvent, len(events))
	for i, event := range events {
		key := event.IdempotencyKey
		if key == "" {
			generated, err := NewIdempotencyKey()
			if err != nil {
				return nil, err
			}
			key = generated
		}
		wire[i] = wireEvent{
			EventName:      event.EventName,
			CustomerID:     event.CustomerID,
			IdempotencyKey: key,
			Properties:     event.Properties,
			ReservationID:  event.ReservationID,
		}
		if !event.Timestamp.IsZero() {
			stamp, err := formatTimestamp(event.Timestamp)
			if err != nil {
				return nil, fmt.Errorf("kobometer: events[%d].timestamp: %w", i, err)
			}
			wire[i].Timestamp = stamp
		}
	}
	body, err := json.Marshal(struct {
		Events []wireEvent `json:"events"`
	}{wire})
	if err != nil {
		return nil, fmt.Errorf("kobometer: encoding events: %w", err)
	}
	var result IngestResult
	if err := c.do(ctx, request{method: http.MethodPost, path: "/v1/events", body: body}, &result); err != nil {
		return nil, err
	}
	return &result, nil
}

// formatTimestamp writes t as RFC 3339 with as many fractional digits as it
// needs (up to nanoseconds), keeping its offset.
func formatTimestamp(t time.Time) (string, error) {
	if year := t.Year(); year < 0 || year > 9999 {
		return "", fmt.Errorf("year %d is outside RFC 3339 (0000 to 9999)", year)
	}
	return t.Format(time.RFC3339Nano), nil
}
