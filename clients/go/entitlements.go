package kobometer

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
)

// Reasons a CheckResult is not allowed.
const (
	// ReasonLimitReached means the quantity would exceed the plan's limit.
	ReasonLimitReached = "limit_reached"
	// ReasonSubscriptionPaused means the customer's subscription is paused.
	ReasonSubscriptionPaused = "subscription_paused"
	// ReasonSubscriptionCanceled means the customer's subscription ended.
	ReasonSubscriptionCanceled = "subscription_canceled"
	// ReasonNoSubscription means the customer has no subscription.
	ReasonNoSubscription = "no_subscription"
)

// CheckRequest asks whether a customer may use Quantity more of a meter.
type CheckRequest struct {
	// CustomerID is the customer asking.
	CustomerID string
	// Meter is the meter's name, for example "api_call".
	Meter string
	// Quantity is how much the customer is about to use; zero asks about
	// 1, the server's default.
	Quantity float64
}

// CheckResult is the server's answer to Check.
type CheckResult struct {
	// CustomerID is the customer asked about.
	CustomerID string `json:"customer_id"`
	// Meter is the meter's name.
	Meter string `json:"meter"`
	// Allowed reports whether the quantity may be used.
	Allowed bool `json:"allowed"`
	// Reason says why not (a Reason… constant); empty when allowed.
	Reason string `json:"reason"`
	// Used is the usage so far in the current period.
	Used json.Number `json:"used"`
	// Limit is the period's allowance (plan limit plus paid top-ups); nil
	// when unlimited.
	Limit *json.Number `json:"limit"`
	// Remaining is what is left of the limit; nil when there is no limit.
	Remaining *json.Number `json:"remaining"`
	// Enforced reports whether the server refuses events past the limit at
	// ingest (rather than billing the overage).
	Enforced bool `json:"enforced"`
	// PeriodStart is the start of the current period (RFC 3339); empty
	// without a subscription.
	PeriodStart string `json:"period_start"`
	// PeriodEnd is the end of the current period (RFC 3339); empty without
	// a subscription.
	PeriodEnd string `json:"period_end"`
}

// Check asks whether a customer may use req.Quantity more of a meter now,
// with GET /v1/entitlements/check. It records nothing: call Ingest once the
// usage happened.
func (c *Client) Check(ctx context.Context, req CheckRequest) (*CheckResult, error) {
	query := url.Values{}
	query.Set("customer_id", req.CustomerID)
	query.Set("meter", req.Meter)
	if req.Quantity != 0 {
		query.Set("quantity", strconv.FormatFloat(req.Quantity, 'f', -1, 64))
	}
	var result CheckResult
	if err := c.do(ctx, request{method: http.MethodGet, path: "/v1/entitlements/check", query: query}, &result); err != nil {
		return nil, err
	}
	return &result, nil
}
