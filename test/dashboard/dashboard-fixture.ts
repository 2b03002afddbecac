import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { createHttpApi, type HttpApi } from '../../src/http/index.js'
import { type Billing, createBilling } from '../../src/index.js'
import { type Listening, listen } from '../http/mount-fixture.js'

const DAY = 86_400_000

/** A customer of the dashboard's fixture and how many calls they made this period. */
export const CUSTOMERS = [
  { id: 'cus_acme', name: 'Acme Logistics', calls: 850 },
  { id: 'cus_bolt', name: 'Bolt Pay', calls: 120 },
  { id: 'cus_xss', name: '<script>alert("pwned")</script><img src=x onerror=alert(2)>', calls: 10 },
] as const

export interface DashboardFixture {
  billing: Billing
  api: HttpApi
  url: string
  adminKey: string
  /** Cuts every open connection (live streams included), as a restarting proxy would. */
  dropConnections(): void
  close(): Promise<void>
}

/** Sends `count` calls of one customer, spread over the last hours, with keys unique to `tag`. */
export async function sendCalls(
  billing: Billing,
  customer_id: string,
  count: number,
  tag: string,
  now = Date.now(),
) {
  const events = Array.from({ length: count }, (_, i) => ({
    event_name: 'api_call',
    customer_id,
    idempotency_key: `${tag}:${customer_id}:${i}`,
    timestamp: now - 1000 - (i % 6) * 3_600_000,
  }))
  for (let i = 0; i < events.length; i += 1000)
    await billing.events.ingest({ events: events.slice(i, i + 1000) })
}

/**
 * A billing instance on SQLite, on the real clock (the pages are live), with a limited plan,
 * three customers (one at 85% of the limit, one named like an attack), a closed period with an
 * invoice each, served with the dashboard.
 */
export async function dashboardFixture(): Promise<DashboardFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'kobometer-dashboard-'))
  const billing = await createBilling({ storage: sqliteStorage({ filename: join(dir, 'billing.db') }) })
  await billing.meters.create({
    code: 'api_calls',
    name: 'API calls',
    event_name: 'api_call',
    aggregation: 'count',
  })
  await billing.plans.create({
    code: 'growth',
    name: 'Growth',
    currency: 'NGN',
    interval: 'day',
    interval_count: 30,
    fixed_amount: '500000',
    charges: [{ meter: 'api_calls', model: 'per_unit', unit_amount: '50' }],
    limits: [{ meter: 'api_calls', quantity: 1000, on_exceed: 'reject' }],
  })
  // Started 40 days ago: one 30-day period is over (and invoiced), the next is ten days in.
  const start = new Date(Date.now() - 40 * DAY).toISOString()
  for (const c of CUSTOMERS) {
    await billing.customers.create({ id: c.id, name: c.name, email: `${c.id}@example.ng` })
    await billing.subscriptions.create({ customer_id: c.id, plan_code: 'growth', start_at: start })
    await sendCalls(billing, c.id, c.calls, 'seed')
  }
  await billing.invoices.run()
  const adminKey = (await billing.apiKeys.create({ name: 'operator', scopes: ['admin'] })).secret
  const api = createHttpApi(billing, { dashboard: { liveIntervalMs: 250 } })
  const http = createServer(api.nodeListener)
  const server: Listening = await listen(http)
  return {
    billing,
    api,
    url: server.url,
    adminKey,
    dropConnections: () => http.closeAllConnections(),
    close: async () => {
      api.close()
      await server.close()
      await billing.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
