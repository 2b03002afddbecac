// Package kobometer is a Go client for the kobometer HTTP API: it records usage
// events, reads usage back and asks whether a customer may use more.
//
// The client uses the standard library only. Every call retries network
// errors, 5xx answers, 408 and 429 answers with exponential backoff and full
// jitter, honouring Retry-After; other 4xx answers are returned at once as an
// *APIError.
//
// Retrying an ingest is safe: every event carries an idempotency key (one is
// generated before the first attempt when the caller leaves it empty) and the
// exact same request body is re-sent on every attempt, so the server answers
// "duplicate" for events it already stored and never counts them twice.
//
// Quantities (usage, used, limit, remaining) are decoded as json.Number: the
// number exactly as the server wrote it, with no float64 round trip in the
// client. Call Float64 or Int64 on it, or parse it with math/big. The server
// writes these as JSON numbers, exact up to 2^53; Usage.PreciseQuantity
// carries the exact decimal that pricing uses, whatever its size.
package kobometer
