// The dashboard on a big SQLite store (bench/dashboard-store.ts: 10,000 customers and 10M events,
// built once and cached; --quick: 1,000 customers and 100,000 events): page render time, and ingest
// throughput with 100 live pages open. The cases run on a copy of the cached store, so ingesting
// and signing in never change the cache. KOBOMETER_BENCH_DASHBOARD_EVENTS sets another event count.
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { liveFanOut } from './dashboard-fanout.js'
import { renderLatency } from './dashboard-render.js'
import { type DashboardStoreSize, dashboardStore } from './dashboard-store.js'
import { defineSuite } from './harness.js'
import { benchDir } from './sqlite-fixture.js'

interface State {
  dir: ReturnType<typeof benchDir>
  size: DashboardStoreSize
  cached: string
}

function sizeOf(quick: boolean): DashboardStoreSize {
  const events = Number(process.env.KOBOMETER_BENCH_DASHBOARD_EVENTS ?? (quick ? 100_000 : 10_000_000))
  if (!(Number.isInteger(events) && events > 0))
    throw new Error('KOBOMETER_BENCH_DASHBOARD_EVENTS must be a whole number above 0')
  return { customers: quick ? 1000 : 10_000, events }
}

/** A private copy of the cached store in the suite's directory. */
function copyOf(s: State, name: string): string {
  const file = join(s.dir.sub(name), 'dashboard.db')
  copyFileSync(s.cached, file)
  return file
}

export default defineSuite<State>({
  name: 'dashboard',
  setup: async (ctx) => {
    const size = sizeOf(ctx.quick)
    return { dir: benchDir(), size, cached: await dashboardStore(size, ctx.log) }
  },
  teardown: (s) => s.dir.remove(),
  cases: [
    { name: 'render p99', run: (s, ctx) => renderLatency(copyOf(s, 'render'), s.size, ctx.quick, ctx.log) },
    {
      name: 'live fan-out under ingest',
      run: (s, ctx) => liveFanOut(copyOf(s, 'live'), s.size, ctx.quick, ctx.log),
    },
  ],
})
