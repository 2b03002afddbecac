package kobometer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// UsageRequest selects a customer's usage of one meter over [From, To).
type UsageRequest struct {
	// CustomerID is the customer whose usage is read.
	CustomerID string
	// Meter is the meter's name, for example "api_call".
	Meter string
	// From is the start of the window, inclusive.
	From time.Time
	// To is the end of the window, exclusive.
	To time.Time
}

// Usage is a customer's usage of one meter over a window.
type Usage struct {
	// CustomerID is the customer the usage belongs to.
	CustomerID string `json:"customer_id"`
	// Meter is the meter's name.
	Meter string `json:"meter"`
	// From is the start of the window as the server read it (RFC 3339).
	From string `json:"from"`
	// To is the end of the window as the server read it (RFC 3339).
	To string `json:"to"`
	// Quantity is the meter's value over the window as a JSON number (see
	// the package documentation on numbers).
	Quantity json.Number `json:"quantity"`
	// PreciseQuantity is the exact decimal the server computed, the value
	// pricing uses, for quantities a JSON number cannot carry exactly.
	PreciseQuantity string `json:"precise_quantity"`
}

// Usage reads a customer's usage of a meter over [From, To) with
// GET /v1/usage.
func (c *Client) Usage(ctx context.Context, req UsageRequest) (*Usage, error) {
	from, err := formatTimestamp(req.From)
	if err != nil {
		return nil, fmt.Errorf("kobometer: from: %w", err)
	}
	to, err := formatTimestamp(req.To)
	if err != nil {
		return nil, fmt.Errorf("kobometer: to: %w", err)
	}
	query := url.Values{}
	query.Set("customer_id", req.CustomerID)
	query.Set("meter", req.Meter)
	query.Set("from", from)
	query.Set("to", to)
	var usage Usage
	if err := c.do(ctx, request{method: http.MethodGet, path: "/v1/usage", query: query}, &usage); err != nil {
		return nil, err
	}
	return &usage, nil
}
