// A period roll under load on PostgreSQL: 1,000 customers with a `reject` limit, 200 concurrent
// single-event callers, and the clock moved into the next month at the start of a round, so every
// customer's first event of the round opens its next period's allowances. A round is a count of
// events, two per customer (customers take turns), so it holds every open however slowly they go.
// The same store's next round of as many events (nothing left to open) is the baseline: the ratio
// is what the opens cost the appends around them.
import { postgresStorage } from '../src/adapters/postgres.js'
import { callsPerSecond, countPerSecond } from './concurrent.js'
import { entitlementStore } from './entitlements-workload.js'
import { compare, type Result } from './harness.js'
import { CUSTOMERS, sequence } from './ingest-workload.js'
import { fromRounds } from './measure.js'
import { freshSchema, PG_URL } from './pg-fixture.js'
import { roundsFor, scaledMs } from './settings.js'

const START = Date.UTC(2027, 0, 1)

/**
 * Rounds that open every customer's next period against rounds that open nothing, one store.
 * @example const rows = await periodRollIngest(ctx.log)
 */
export async function periodRollIngest(log: (m: string) => void): Promise<Result[]> {
  const { schema, drop } = await freshSchema('roll')
  // The clock starts at the first period and runs with the wall clock from wherever a round sets it.
  let base = START
  let since = Date.now()
  const clock = () => base + (Date.now() - since)
  const moveTo = (t: number) => {
    base = t
    since = Date.now()
  }
  const billing = await entitlementStore(postgresStorage({ connectionString: PG_URL }, { schema }), {
    limited: true,
    customers: CUSTOMERS,
    log,
    clock,
  })
  // Each subscription's periods start at the time of day it was created, within the setup's first
  // seconds of 1 January: a round starts that long (and a second) past the month's first instant,
  // once every customer's previous period has ended.
  const setup = clock() - START
  try {
    const events = sequence('uuidv7', clock)
    const ingest = () => billing.events.ingest({ events: events.batch(1) })
    const ms = scaledMs(2000, 100)
    // Warm-up inside the first period: pools fill, every customer's entry is loaded.
    await callsPerSecond(200, ms / 2, ingest)
    const rolling: number[] = []
    const steady: number[] = []
    for (let r = 1; r <= roundsFor(undefined); r++) {
      moveTo(Date.UTC(2027, r, 1) + setup + 1000)
      rolling.push(await countPerSecond(200, 2 * CUSTOMERS, ingest))
      steady.push(await countPerSecond(200, 2 * CUSTOMERS, ingest))
    }
    return [
      compare(
        'postgres 200 concurrent single-event callers, a round opening 1,000 customers’ next period, vs the round after',
        fromRounds(rolling, 'events/s'),
        fromRounds(steady, 'events/s'),
      ),
    ]
  } finally {
    await billing.close()
    await drop()
  }
}
