// The server process of the dashboard bench: `createHttpApi` with the dashboard on an existing SQLite
// store (bench/dashboard-store.ts), its clock running on from the store's "now" so the pages show
// the store's month and ingested events land in it. Once listening it sends `{ port, secret }` (a
// new admin key: it signs in and ingests); asked `'cpu'`, it answers `{ cpu }`; on disconnect it
// closes and exits, so a `--cpu-prof` given to it is written.
import { createServer } from 'node:http'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { createHttpApi } from '../src/http/index.js'
import { createBilling } from '../src/index.js'
import { DASHBOARD_NOW } from './dashboard-store.js'
import { serveToParent } from './serve-to-parent.js'

/** What the parent asks for, as the child's one argument (JSON). */
export interface DashboardServerSpec {
  /** The store's SQLite file. */
  filename: string
  /** How often live topics poll storage (the dashboard's default is 1,000 ms). */
  liveIntervalMs?: number
}

const spec = JSON.parse(process.argv[2] ?? '{}') as DashboardServerSpec
if (process.send === undefined) throw new Error('usage: fork(dashboard-server-child.ts, [JSON spec])')

const started = Date.now()
const clock = () => DASHBOARD_NOW + (Date.now() - started)
const billing = await createBilling({ storage: sqliteStorage({ filename: spec.filename }), clock })
const { secret } = await billing.apiKeys.create({ name: 'bench operator', scopes: ['admin'] })
const api = createHttpApi(billing, {
  rateLimit: false,
  dashboard: { clock, ...(spec.liveIntervalMs === undefined ? {} : { liveIntervalMs: spec.liveIntervalMs }) },
})
const server = createServer((req, res) => void api.nodeListener(req, res))
// Longer than any pause of the load generator's keep-alive connections, so the server never closes
// one just as the generator reuses it (a reset that would fail the round, not measure anything).
server.keepAliveTimeout = 120_000
serveToParent(server, secret, () => billing.close())
