import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import { signPaystackBody } from '../../src/gateways/paystack/index.js'
import { METER, type MountFixture, PAYSTACK_SECRET } from './mount-fixture.js'

/** Sends one request to the API wherever it is mounted; `path` starts at `/v1`. */
export type Send = (path: string, init?: RequestInit) => Promise<Response>

/** The body limit every mounting is created with, so a 413 is cheap to provoke. */
export const SCENARIO_MAX_BODY_BYTES = 4096

const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` })
const json = { 'content-type': 'application/json' }

async function expectError(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  const body = (await response.json()) as { error: { code: string; message: string } }
  expect(body.error).toMatchObject({ code, message: expect.any(String) })
}

/**
 * The same short conversation with the API through any mounting: ingest two events, read the
 * usage back, a 401 without a key, the 404 shape, a 413 over the body limit, and a gateway webhook
 * whose signature is checked on the exact bytes sent (so a framework that parsed or re-encoded the
 * body would fail it).
 *
 * @example
 * await runMountScenario((path, init) => fetch(`${url}/billing${path}`, init), fixture)
 */
export async function runMountScenario(send: Send, fixture: MountFixture): Promise<void> {
  const customer = `cus_${randomUUID()}`
  const events = ['a', 'b'].map((suffix) => ({
    event_name: 'api_call',
    customer_id: customer,
    idempotency_key: `req_${customer}_${suffix}`,
  }))

  await expectError(
    await send('/v1/events', { method: 'POST', headers: json, body: JSON.stringify({ events }) }),
    401,
    'UNAUTHENTICATED',
  )

  const ingested = await send('/v1/events', {
    method: 'POST',
    headers: { ...json, ...bearer(fixture.writeKey) },
    body: JSON.stringify({ events }),
  })
  expect(ingested.status).toBe(200)
  expect(await ingested.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: 0 })

  const from = new Date(Date.now() - 3_600_000).toISOString()
  const to = new Date(Date.now() + 3_600_000).toISOString()
  const query = new URLSearchParams({ customer_id: customer, meter: METER, from, to })
  const usage = await send(`/v1/usage?${query}`, { headers: bearer(fixture.readKey) })
  expect(usage.status).toBe(200)
  expect(await usage.json()).toMatchObject({ customer_id: customer, meter: METER, quantity: 2 })

  await expectError(
    await send('/v1/no-such-route', { headers: bearer(fixture.readKey) }),
    404,
    'ROUTE_NOT_FOUND',
  )

  const padding = 'x'.repeat(SCENARIO_MAX_BODY_BYTES)
  const oversized = [{ ...events[0], idempotency_key: `req_${customer}_big`, properties: { padding } }]
  await expectError(
    await send('/v1/events', {
      method: 'POST',
      headers: { ...json, ...bearer(fixture.writeKey) },
      body: JSON.stringify({ events: oversized }),
    }),
    413,
    'PAYLOAD_TOO_LARGE',
  )
  const stored = await fixture.billing.events.list({ customer_id: customer })
  expect(stored.data.map((event) => event.idempotency_key).sort()).toEqual(
    events.map((event) => event.idempotency_key),
  )

  // Spaces and key order a JSON parser would not keep: only the raw bytes carry this signature.
  const webhook = '{ "event" : "subscription.create",\n  "data": {"b": 1, "a": 2} }'
  const signed = { 'x-paystack-signature': signPaystackBody(webhook, PAYSTACK_SECRET) }
  await expectError(
    await send('/v1/webhooks/paystack', {
      method: 'POST',
      headers: { ...json, 'x-paystack-signature': signPaystackBody(webhook, 'sk_test_wrong') },
      body: webhook,
    }),
    401,
    'SIGNATURE_VERIFICATION_FAILED',
  )
  const accepted = await send('/v1/webhooks/paystack', {
    method: 'POST',
    headers: { ...json, ...signed },
    body: webhook,
  })
  expect(accepted.status).toBe(200)
  expect(await accepted.json()).toMatchObject({ status: 'ignored', event: 'subscription.create' })
}
