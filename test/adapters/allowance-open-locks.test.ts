import { CompiledQuery, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DialectQuirks } from '../../src/adapters/kysely/dialect-quirks.js'
import { EntitlementStatements } from '../../src/adapters/kysely/entitlement-statements.js'
import { MeterStatements } from '../../src/adapters/kysely/meter-statements.js'
import type { SqlOp } from '../../src/adapters/kysely/sql-script.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { AllowanceOpening, Storage } from '../../src/core/ports/index.js'
import { event, HOUR, meter, T0 } from '../../src/testing/ports/port-fixtures.js'
import { connect } from '../support/older-store.js'
import { mysqlTarget, openStorage, postgresTarget, type StoreConfig } from '../support/targets.js'

const DAY = 24 * HOUR
const P1 = T0
const P2 = T0 + 31 * DAY
const P3 = T0 + 62 * DAY

const opening = (customer_id: string, period_start: number): AllowanceOpening => ({
  customer_id,
  meter: 'calls',
  period_start,
  period_end: period_start + 31 * DAY,
  limit: '100',
  enforce: true,
})

/**
 * A transaction in flight holding `ops`' locks. Resolves once they are held; `commit()` ends it.
 */
async function holding(db: Kysely<unknown>, ops: readonly SqlOp[]) {
  let commit!: () => void
  const committing = new Promise<void>((resolve) => {
    commit = resolve
  })
  let held!: () => void
  const locked = new Promise<void>((resolve) => {
    held = resolve
  })
  const done = db.connection().execute(async (conn) => {
    await conn.executeQuery(CompiledQuery.raw('begin'))
    for (const op of ops) await conn.executeQuery(CompiledQuery.raw(op.sql, [...op.params]))
    held()
    await committing
    await conn.executeQuery(CompiledQuery.raw('commit'))
  })
  await locked
  return {
    commit: async () => {
      commit()
      await done
    },
  }
}

/**
 * An append of `customer`'s events in flight, as the appends' own statements take its locks: the
 * shared side of the meters lock, then the customer's own lock (which an open of any of its
 * periods takes too).
 */
function appendInFlight(db: Kysely<unknown>, quirks: DialectQuirks, customer: string) {
  const meters = new MeterStatements(quirks)
  const sql = new EntitlementStatements(quirks)
  return holding(db, [
    ...[meters.lock('shared')].filter((op): op is SqlOp => op !== null),
    meters.readVersion('shared'),
    // The customer's lock row, created if missing.
    sql.claimAllowanceCustomers([customer]),
  ])
}

/** Resolves to what `work` resolves to, or to 'still waiting' if it takes more than 5 seconds. */
function within5s<T>(work: Promise<T>): Promise<T | 'still waiting'> {
  return Promise.race([
    work,
    new Promise<'still waiting'>((resolve) => setTimeout(resolve, 5000, 'still waiting')),
  ])
}

/** Sessions of this store waiting for a lock (on MariaDB: running a statement for 300 ms). */
async function lockWaits(db: Kysely<unknown>, config: StoreConfig): Promise<number> {
  const query =
    config.kind === 'postgres'
      ? CompiledQuery.raw(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
          [`%${config.schema}%`],
        )
      : // MariaDB lists no lock waits in information_schema: a statement running this long waits.
        CompiledQuery.raw(
          `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = DATABASE()` +
            ` AND COMMAND = 'Query' AND TIME_MS > 300 AND ID <> CONNECTION_ID()`,
        )
  const { rows } = await db.executeQuery<{ n: unknown }>(query)
  return Number(rows[0]?.n)
}

async function untilWaiting(db: Kysely<unknown>, config: StoreConfig, count: number): Promise<void> {
  const deadline = Date.now() + 10_000
  while ((await lockWaits(db, config)) < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} sessions waited for a lock`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const calls = (storage: Storage, customer: string, key: string, at: number) =>
  storage.events.append([event('', key, customer, at)], compileMeterEffects)

for (const target of [postgresTarget, mysqlTarget]) {
  describe.skipIf(target.skip)(
    `opening a running customer's next period on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let config: StoreConfig
      let destroy: () => Promise<void>
      let storage: Storage
      let holder: { db: Kysely<unknown>; quirks: DialectQuirks }
      let observer: { db: Kysely<unknown>; quirks: DialectQuirks }

      beforeAll(async () => {
        ;({ config, destroy } = await target.fresh())
        storage = await openStorage(config)
        await storage.migrate()
        holder = await connect(config)
        observer = await connect(config)
        await storage.meters.insert(meter('', 'calls'), compileMeterEffects)
        // Both customers' first period: each opens under the exclusive meters lock.
        await storage.entitlements.open([opening('cus_a', P1), opening('cus_b', P1)], compileMeterEffects, P1)
        await calls(storage, 'cus_a', 'a_p1', P1 + HOUR)
      })

      afterAll(async () => {
        await storage?.close()
        await holder?.db.destroy()
        await observer?.db.destroy()
        await destroy?.()
      })

      it('waits only for appends of its own customer, and the append that waited for it counts into it', async () => {
        // An append of cus_a holds its rows: the open of cus_a's next period waits for it…
        const inFlight = await appendInFlight(holder.db, holder.quirks, 'cus_a')
        const opened = storage.entitlements.open([opening('cus_a', P2)], compileMeterEffects, P2)
        await untilWaiting(observer.db, config, 1)
        // …while another customer's events go in (the exclusive meters lock would queue them).
        expect(await calls(storage, 'cus_b', 'b_p2', P2 + HOUR)).toMatchObject([{ status: 'accepted' }])
        // cus_a's next event queues behind the open; once it commits, the event counts into it.
        const late = calls(storage, 'cus_a', 'a_p2', P2 + HOUR)
        await untilWaiting(observer.db, config, 2)
        await inFlight.commit()
        const [allowance] = await opened
        expect(allowance).toMatchObject({ period_start: P2, used: '0' })
        expect(await late).toMatchObject([{ status: 'accepted' }])
        const [read] = await storage.entitlements.read([{ customer_id: 'cus_a', meter: 'calls' }], P2)
        expect(read).toMatchObject({ period_start: P2, used: '1' })
      })

      it("is waited for by overlapping opens of later periods, and the customer's events count once", async () => {
        await storage.entitlements.open([opening('cus_d', P1)], compileMeterEffects, P1)
        const inFlight = await appendInFlight(holder.db, holder.quirks, 'cus_d')
        // Two opens of later periods, at once, and an event of the latest: all wait for the append…
        const second = storage.entitlements.open([opening('cus_d', P2)], compileMeterEffects, P2)
        const third = storage.entitlements.open([opening('cus_d', P3)], compileMeterEffects, P3)
        const late = calls(storage, 'cus_d', 'd_p3', P3 + HOUR)
        await untilWaiting(observer.db, config, 3)
        await inFlight.commit()
        // …and once it commits, the event counts into its own period, by the open or after it.
        expect(await late).toMatchObject([{ status: 'accepted' }])
        await Promise.all([second, third])
        expect(await calls(storage, 'cus_d', 'd_p2', P2 + HOUR)).toMatchObject([{ status: 'accepted' }])
        const used = async (at: number) =>
          (await storage.entitlements.read([{ customer_id: 'cus_d', meter: 'calls' }], at))[0]?.used
        expect([await used(P1), await used(P2), await used(P3)]).toEqual(['0', '1', '1'])
      })

      it("opens a customer's first allowance of a limited meter without holding other customers' events", async () => {
        // cus_f has no allowance yet; an append of its events holds its (new) lock row.
        const inFlight = await appendInFlight(holder.db, holder.quirks, 'cus_f')
        const opened = storage.entitlements.open([opening('cus_f', P2)], compileMeterEffects, P2)
        await untilWaiting(observer.db, config, 1)
        // The exclusive meters lock would queue every customer's events behind the open.
        expect(await within5s(calls(storage, 'cus_b', 'b_first', P2 + 2 * HOUR))).toMatchObject([
          { status: 'accepted' },
        ])
        const late = calls(storage, 'cus_f', 'f_p2', P2 + HOUR)
        await untilWaiting(observer.db, config, 2)
        await inFlight.commit()
        // The open and cus_f's event queued on the same lock row: whichever went first, the event
        // counts once (by the open's total, or into the open allowance).
        expect(await opened).toMatchObject([{ period_start: P2 }])
        expect(await late).toMatchObject([{ status: 'accepted' }])
        const [read] = await storage.entitlements.read([{ customer_id: 'cus_f', meter: 'calls' }], P2)
        expect(read).toMatchObject({ period_start: P2, used: '1' })
      })

      it("locks only the allowances of the periods an append's events fall in", async () => {
        await storage.entitlements.open([opening('cus_c', P1)], compileMeterEffects, P1)
        await storage.entitlements.open([opening('cus_c', P2)], compileMeterEffects, P2)
        // Another transaction holds cus_c's past period (as a grant or a reserve on it would).
        const past = await holding(holder.db, [
          new EntitlementStatements(holder.quirks).allowance(opening('cus_c', P1), true),
        ])
        try {
          // An event of the current period goes in meanwhile: its append never touches the past row.
          expect(await within5s(calls(storage, 'cus_c', 'c_p2', P2 + HOUR))).toMatchObject([
            { status: 'accepted' },
          ])
        } finally {
          await past.commit()
        }
        const [read] = await storage.entitlements.read([{ customer_id: 'cus_c', meter: 'calls' }], P2)
        expect(read).toMatchObject({ period_start: P2, used: '1' })
      })
    },
  )
}
