// A client in another process, as a Go, Python or PHP service would be: it knows only the URL and
// an API key. It sends one usage event and prints what the API answered. Sending the same event
// again (same idempotency key, same payload) is a no-op answered as a duplicate.
const [url, key, eventKey, timestamp] = process.argv.slice(2)
const response = await fetch(`${url}/v1/events`, {
  method: 'POST',
  headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
  body: JSON.stringify({
    events: [
      {
        event_name: 'api_call',
        customer_id: 'cus_bolt',
        idempotency_key: eventKey,
        timestamp,
        properties: { endpoint: '/v1/verify' },
      },
    ],
  }),
})
const result = await response.json()
console.log(
  JSON.stringify({ status: response.status, accepted: result.accepted, duplicates: result.duplicates }),
)
