// Entitlements: `check` from a warm view, ingest with reject limits against ingest without (and for
// customers with two years of past periods against new ones), ingest
// through a period roll against the round after it, reserve and its settling ingest, and how stale
// `check` is for another process's ingests. The PostgreSQL cases run when KOBOMETER_PG_URL is set.

import { checkLatency } from './entitlements-check.js'
import { historyIngestPostgres, historyIngestSqlite } from './entitlements-history.js'
import { limitedBatchIngest, limitedConcurrentIngest, limitedSingleIngest } from './entitlements-ingest.js'
import { periodRollIngest } from './entitlements-period-roll.js'
import { postgresReserve, sqliteReserve } from './entitlements-reserve.js'
import { staleness } from './entitlements-staleness.js'
import { defineSuite } from './harness.js'
import { benchDir } from './sqlite-fixture.js'

type State = ReturnType<typeof benchDir>

const pgSkipped = (log: (m: string) => void) => {
  if (process.env.KOBOMETER_PG_URL !== undefined) return false
  log('    skipped: KOBOMETER_PG_URL is not set')
  return true
}

export default defineSuite<State>({
  name: 'entitlements',
  setup: () => benchDir(),
  teardown: (s) => s.remove(),
  cases: [
    { name: 'check', run: (s, ctx) => checkLatency(s.sub('check'), ctx.quick, ctx.log) },
    { name: 'ingest-limited, sqlite batch', run: (s, ctx) => limitedBatchIngest(s.sub('batch'), ctx.log) },
    { name: 'ingest-limited, sqlite single', run: (s, ctx) => limitedSingleIngest(s.sub('single'), ctx.log) },
    {
      name: 'ingest-limited, sqlite batch, customers with history',
      run: (s, ctx) => historyIngestSqlite(s.sub('history'), ctx.log),
    },
    {
      name: 'ingest-limited, postgres batch, customers with history',
      run: (_s, ctx) => (pgSkipped(ctx.log) ? [] : historyIngestPostgres(ctx.log)),
    },
    {
      name: 'ingest-limited, postgres 200 concurrent',
      run: (_s, ctx) => (pgSkipped(ctx.log) ? [] : limitedConcurrentIngest(ctx.log)),
    },
    {
      name: 'period-roll, postgres 200 concurrent',
      run: (_s, ctx) => (pgSkipped(ctx.log) ? [] : periodRollIngest(ctx.log)),
    },
    { name: 'reserve, sqlite', run: (s, ctx) => sqliteReserve(s.sub('reserve'), ctx.log) },
    { name: 'reserve, postgres', run: (_s, ctx) => (pgSkipped(ctx.log) ? [] : postgresReserve(ctx.log)) },
    { name: 'staleness', run: (s, ctx) => staleness(s.sub('staleness'), ctx.quick, ctx.log) },
  ],
})
