#!/bin/sh
# Records one usage event through kobometer's HTTP API, then reads this month's usage back.
#   KOBOMETER_URL      where the API is mounted, e.g. http://localhost:8080/billing
#   KOBOMETER_API_KEY  a key with the events:write and usage:read scopes
#   CUSTOMER_ID        optional, default cus_123
#   IDEMPOTENCY_KEY    optional: your request id (the same key on every retry of the same event)
# Needs curl 7.76 or later (--fail-with-body).
set -eu
: "${KOBOMETER_URL:?set KOBOMETER_URL, e.g. http://localhost:8080/billing}"
: "${KOBOMETER_API_KEY:?set KOBOMETER_API_KEY to a key with events:write and usage:read}"
KOBOMETER_URL="${KOBOMETER_URL%/}"
CUSTOMER_ID="${CUSTOMER_ID:-cus_123}"
IDEMPOTENCY_KEY="${IDEMPOTENCY_KEY:-req_$(date -u +%Y%m%d%H%M%S)_$$}"

# --retry resends the same body, so the same idempotency_key: a retry after a lost answer is a
# "duplicate", never a second event. (On a retry, curl prints each attempt's answer.)
curl --silent --show-error --fail-with-body --retry 2 \
  -X POST "$KOBOMETER_URL/v1/events" \
  -H "Authorization: Bearer $KOBOMETER_API_KEY" \
  -H 'Content-Type: application/json' \
  --data "{\"events\":[{\"event_name\":\"api_call\",\"customer_id\":\"$CUSTOMER_ID\",\"idempotency_key\":\"$IDEMPOTENCY_KEY\",\"properties\":{\"tokens\":1200}}]}"
echo

# This calendar month, UTC: [first of this month, first of next month)
YEAR=$(date -u +%Y)
MONTH=$(date -u +%m)
MONTH=${MONTH#0}
FROM=$(printf '%04d-%02d-01' "$YEAR" "$MONTH")
TO=$(printf '%04d-%02d-01' $((YEAR + MONTH / 12)) $((MONTH % 12 + 1)))

curl --silent --show-error --fail-with-body --get "$KOBOMETER_URL/v1/usage" \
  -H "Authorization: Bearer $KOBOMETER_API_KEY" \
  --data-urlencode "customer_id=$CUSTOMER_ID" \
  --data-urlencode "meter=api_calls" \
  --data-urlencode "from=$FROM" \
  --data-urlencode "to=$TO"
echo
