// The server process of the HTTP bench: `kobometer` serves `createHttpApi` over a fresh SQLite store
// (the ingest benches' two meters; with `customers`, that many customers on the limited plan, each
// checked once so the entitlement view is warm); `bare` serves the same stack (node:http,
// @hono/node-server, a Hono app) with handlers that do only what any JSON API must: parse the body,
// answer JSON. Once listening it sends `{ port, secret }`; asked `'cpu'`, it answers `{ cpu }`; on
// disconnect it closes and exits, so a `--cpu-prof` given to it is written.
import { createServer } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { Hono } from 'hono'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { createHttpApi } from '../src/http/index.js'
import { createBilling } from '../src/index.js'
import { customerId, entitlementStore } from './entitlements-workload.js'
import { benchMeters } from './ingest-workload.js'
import { serveToParent } from './serve-to-parent.js'

/** What the parent asks for, as the child's one argument (JSON). */
export interface ServerSpec {
  app: 'kobometer' | 'bare'
  /** The SQLite file of a `kobometer` server (created). */
  filename?: string
  /** Limited customers to subscribe and warm (kobometer only; default none). */
  customers?: number
}

/** The child's first message. */
export type { ServerReady } from './serve-to-parent.js'

const spec = JSON.parse(process.argv[2] ?? '{}') as ServerSpec
if (process.send === undefined) throw new Error('usage: fork(http-server-child.ts, [JSON spec])')

async function kobometerListener(filename: string, customers: number) {
  const storage = sqliteStorage({ filename })
  const billing =
    customers > 0
      ? await entitlementStore(storage, { limited: true, customers })
      : await createBilling({ storage })
  if (customers === 0) for (const m of benchMeters) await billing.meters.create(m)
  for (let i = 0; i < customers; i++)
    await billing.entitlements.check({ customer_id: customerId(i), meter: 'calls' })
  const { secret } = await billing.apiKeys.create({ name: 'bench', scopes: ['events:write', 'usage:read'] })
  // No rate limit: the load generator is one key far above the default 1,000 requests/s.
  const api = createHttpApi(billing, { rateLimit: false })
  return { listener: api.nodeListener, secret, close: () => billing.close() }
}

function bareListener() {
  const app = new Hono({ strict: true })
  app.post('/v1/events', async (c) => {
    JSON.parse(await c.req.text())
    return c.json({})
  })
  app.get('/v1/entitlements/check', (c) => {
    c.req.query('customer_id')
    c.req.query('meter')
    return c.json({})
  })
  const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false })
  return { listener, secret: '', close: async () => {} }
}

const served =
  spec.app === 'kobometer'
    ? await kobometerListener(spec.filename ?? 'kobometer.db', spec.customers ?? 0)
    : bareListener()
serveToParent(
  createServer((req, res) => void served.listener(req, res)),
  served.secret,
  () => served.close(),
)
