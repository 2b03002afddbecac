package kobometer

import (
	"context"
	"net/url"
	"testing"
	"time"
)

func TestUsageSendsTheWindowAndKeepsTheQuantityExact(t *testing.T) {
	fake := newFakeServer(t, jsonAnswer(200, `{"customer_id":"cus_1","meter":"api_call","from":"2026-11-01T00:00:00.000Z","to":"2026-12-01T00:00:00.000Z","quantity":123456789012345680000,"precise_quantity":"123456789012345678901.5"}`))
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 12, 1, 1, 0, 0, 500, time.FixedZone("WAT", 3600))
	usage, err := fastClient(fake).Usage(context.Background(), UsageRequest{CustomerID: "cus 1&x", Meter: "api_call", From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	seen := fake.seen()[0]
	parsed, _ := url.Parse(seen.URL)
	query := parsed.Query()
	if seen.Method != "GET" || parsed.Path != "/v1/usage" || query.Get("customer_id") != "cus 1&x" || query.Get("meter") != "api_call" ||
		query.Get("from") != "2026-11-01T00:00:00Z" || query.Get("to") != "2026-12-01T01:00:00.0000005+01:00" {
		t.Errorf("request: %s %s", seen.Method, seen.URL)
	}
	if seen.Header.Get("Content-Type") != "" {
		t.Error("a GET carries no body and no content type")
	}
	if usage.Quantity.String() != "123456789012345680000" || usage.PreciseQuantity != "123456789012345678901.5" || usage.CustomerID != "cus_1" || usage.Meter != "api_call" {
		t.Errorf("usage: %+v", usage)
	}
}

func TestCheckReadsLimitsAndTheirAbsence(t *testing.T) {
	fake := newFakeServer(t,
		jsonAnswer(200, `{"customer_id":"cus_1","meter":"api_call","allowed":false,"reason":"limit_reached","used":1000,"limit":1000,"remaining":0,"enforced":true,"period_start":"2026-11-01T00:00:00.000Z","period_end":"2026-12-01T00:00:00.000Z"}`),
		jsonAnswer(200, `{"customer_id":"cus_1","meter":"api_call","allowed":true,"reason":null,"used":9007199254740993,"limit":null,"remaining":null,"enforced":false,"period_start":null,"period_end":null}`),
	)
	client := fastClient(fake)
	limited, err := client.Check(context.Background(), CheckRequest{CustomerID: "cus_1", Meter: "api_call", Quantity: 2.5})
	if err != nil {
		t.Fatal(err)
	}
	parsed, _ := url.Parse(fake.seen()[0].URL)
	if parsed.Path != "/v1/entitlements/check" || parsed.Query().Get("quantity") != "2.5" || parsed.Query().Get("customer_id") != "cus_1" {
		t.Errorf("request: %s", fake.seen()[0].URL)
	}
	if limited.Allowed || !limited.Enforced || limited.Reason != ReasonLimitReached || limited.Limit == nil || limited.Limit.String() != "1000" ||
		limited.Remaining == nil || limited.Remaining.String() != "0" || limited.PeriodEnd != "2026-12-01T00:00:00.000Z" {
		t.Errorf("limited: %+v", limited)
	}
	unlimited, err := client.Check(context.Background(), CheckRequest{CustomerID: "cus_1", Meter: "api_call"})
	if err != nil {
		t.Fatal(err)
	}
	if parsed, _ := url.Parse(fake.seen()[1].URL); parsed.Query().Has("quantity") {
		t.Errorf("a zero quantity is left to the server's default: %s", fake.seen()[1].URL)
	}
	if !unlimited.Allowed || !limited.Enforced || unlimited.Reason != "" || unlimited.Limit != nil || unlimited.Remaining != nil || unlimited.Used.String() != "9007199254740993" || unlimited.PeriodStart != "" {
		t.Errorf("unlimited: %+v", unlimited)
	}
}

func TestABaseURLWithAPathPrefixIsKept(t *testing.T) {
	fake := newFakeServer(t, jsonAnswer(200, `{"customer_id":"c","meter":"m","from":"","to":"","quantity":0}`))
	client := New(fake.URL+"/billing/", "kbm_sk_test")
	if _, err := client.Usage(context.Background(), UsageRequest{CustomerID: "c", Meter: "m", From: time.Unix(0, 0), To: time.Unix(60, 0)}); err != nil {
		t.Fatal(err)
	}
	if parsed, _ := url.Parse(fake.seen()[0].URL); parsed.Path != "/billing/v1/usage" {
		t.Errorf("path: %s", parsed.Path)
	}
}
