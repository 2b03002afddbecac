import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memoryStorage } from '../../src/adapters/memory/index.js'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { createHttpApi, type HttpApi, type HttpApiOptions } from '../../src/http/index.js'
import { type ApiKeyScope, type Billing, type BillingOptions, createBilling } from '../../src/index.js'
import { serveListener } from './mount-fixture.js'

/** The instant every fixture's clock shows: mid-November 2026. */
export const NOW = Date.parse('2026-11-15T12:00:00.000Z')

/** One request as the tests write it. */
export interface Call {
  method?: string
  path: string
  /** A JSON value to send (stringified), or the exact body text/bytes. */
  json?: unknown
  body?: string | Uint8Array
  key?: string | null
  headers?: Record<string, string>
}

/** A JSON answer as the tests read it: loosely, since every test asserts on what it reads. */
// biome-ignore lint/suspicious/noExplicitAny: answers are checked by the assertions that read them.
export type Json = any

/** A fetch `Response` whose `json()` the tests read without casts. */
export interface TestResponse extends Response {
  json(): Promise<Json>
}

/** Sends a request and answers the fetch `Response`. */
export type Send = (call: Call) => Promise<TestResponse>

/** How requests reach the API: a real `node:http` server, or `api.fetch` called directly. */
export type Transport = 'node:http' | 'fetch'

export interface HttpFixture {
  billing: Billing
  api: HttpApi
  /** A secret per scope, and `all` with every scope but admin. */
  keys: Record<ApiKeyScope, string>
  send: Send
  /** Moves the billing clock. */
  setNow(ms: number): void
  /** The server's base URL (node:http transport only). */
  url: string | null
  close(): Promise<void>
}

/**
 * A billing instance with a meter, a limited plan and a subscribed customer, served through
 * `createHttpApi` over the chosen transport, with one API key per scope.
 */
export async function httpFixture(
  transport: Transport,
  options: { storage?: 'memory' | 'sqlite'; api?: HttpApiOptions; billing?: Partial<BillingOptions> } = {},
): Promise<HttpFixture> {
  const dir = options.storage === 'sqlite' ? mkdtempSync(join(tmpdir(), 'kobometer-http-')) : null
  const storage = dir === null ? memoryStorage() : sqliteStorage({ filename: join(dir, 'billing.db') })
  let now = NOW
  const billing = await createBilling({ storage, clock: () => now, ...options.billing })
  await billing.meters.create({ code: 'api_calls', event_name: 'api_call', aggregation: 'count' })
  await billing.meters.create({
    code: 'tokens',
    event_name: 'completion',
    aggregation: 'sum',
    property: 'tokens',
  })
  await billing.plans.create({
    code: 'starter',
    name: 'Starter',
    currency: 'NGN',
    interval: 'month',
    charges: [
      { meter: 'api_calls', model: 'per_unit', unit_amount: '50' },
      { meter: 'tokens', model: 'per_unit', unit_amount: '0.2' },
    ],
    limits: [{ meter: 'api_calls', quantity: 100, on_exceed: 'reject' }],
  })
  await billing.customers.create({ id: 'cus_1', email: 'ada@example.ng', name: 'Ada' })
  await billing.subscriptions.create({
    customer_id: 'cus_1',
    plan_code: 'starter',
    start_at: '2026-11-01T00:00:00Z',
  })
  const keys = {} as Record<ApiKeyScope, string>
  for (const scope of ['events:write', 'usage:read', 'billing:read', 'billing:write', 'admin'] as const)
    keys[scope] = (await billing.apiKeys.create({ name: scope, scopes: [scope] })).secret
  const api = createHttpApi(billing, options.api)
  const server = transport === 'node:http' ? await serveListener(api.nodeListener) : null
  const url = server?.url ?? null
  const base = url ?? 'http://kobometer.test'
  const send: Send = (call) => {
    const headers: Record<string, string> = { ...call.headers }
    if (call.key !== null) headers.authorization ??= `Bearer ${call.key ?? keys.admin}`
    let body: string | Uint8Array | undefined = call.body
    if (call.json !== undefined) {
      body = JSON.stringify(call.json)
      headers['content-type'] ??= 'application/json'
    }
    const request = new Request(base + call.path, {
      method: call.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
    })
    return transport === 'fetch' ? api.fetch(request) : fetch(request)
  }
  return {
    billing,
    api,
    keys,
    send,
    setNow: (ms) => {
      now = ms
    },
    url,
    close: async () => {
      await server?.close()
      await billing.close()
      if (dir !== null) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A usage event of the fixture's `api_calls` meter. */
export function call(key: string, extra: Record<string, unknown> = {}) {
  return { event_name: 'api_call', customer_id: 'cus_1', idempotency_key: key, ...extra }
}
