import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { quoteIdentifier } from '../../src/adapters/kysely/postgres/postgres-quirks.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { createBilling } from '../../src/index.js'
import { BASE_TIME, expectedTotals } from '../exactly-once/events.js'
import { spawnWorker } from '../exactly-once/spawn-worker.js'
import { eventLog } from '../support/event-log.js'
import { sharedStore } from '../support/shared-store.js'
import { openStorage, postgresTarget, type StoreConfig } from '../support/targets.js'

const H = 3_600_000
const JUNE = Date.UTC(2026, 5, 10)
const JULY = Date.UTC(2026, 6, 10)

/** Runs statements on the store's database outside kobometer, as an operator's archive job would. */
async function onDatabase<R>(
  config: StoreConfig,
  fn: (client: pg.Client, schema: string) => Promise<R>,
): Promise<R> {
  if (config.kind !== 'postgres') throw new Error('a PostgreSQL store is needed')
  const client = new pg.Client({ connectionString: config.connectionString })
  await client.connect()
  try {
    return await fn(client, quoteIdentifier(config.schema))
  } finally {
    await client.end()
  }
}

/** The store's event partitions, by name. */
const partitionNames = (config: StoreConfig) =>
  onDatabase(config, async (client, schema) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = '${schema}.${TABLE.events}'::regclass ORDER BY 1`,
    )
    return rows.map((row) => row.name)
  })

describe.skipIf(postgresTarget.skip)(
  `events partitioned by month on postgres${postgresTarget.skip ? ` (skipped: ${postgresTarget.skip})` : ''}`,
  () => {
    const store = sharedStore(postgresTarget)

    it('a month archived (detached, dropped) keeps its keys: replays are duplicates or conflicts, usage holds', async () => {
      const config = store.config()
      const billing = await createBilling({ storage: await openStorage(config), clock: () => JULY + 30 * H })
      try {
        await billing.meters.create({ code: 'arch_calls', event_name: 'arch', aggregation: 'count' })
        await billing.meters.create({
          code: 'arch_tokens',
          event_name: 'arch',
          aggregation: 'sum',
          property: 'tokens',
        })
        const input = (key: string, timestamp: number, tokens: number) => ({
          event_name: 'arch',
          customer_id: 'cus_arch',
          idempotency_key: key,
          timestamp,
          properties: { tokens },
        })
        const june = Array.from({ length: 5 }, (_, i) => input(`june_${i}`, JUNE + i * H + 60_000, i + 1))
        const july = [input('july_0', JULY, 100), input('july_1', JULY + H, 200)]
        expect((await billing.events.ingest({ events: [...june, ...july] })).accepted).toBe(7)
        // Whole hours of June: answered from rollups alone.
        const juneUsage = async () => {
          const q = { customer_id: 'cus_arch', from: JUNE, to: JUNE + 24 * H }
          return [
            (await billing.usage.get({ ...q, meter: 'arch_calls' })).quantity,
            (await billing.usage.get({ ...q, meter: 'arch_tokens' })).quantity,
          ]
        }
        expect(await juneUsage()).toEqual([5, 15])
        expect(await partitionNames(config)).toContain(`${TABLE.events}_p202606`)

        await onDatabase(config, async (client, schema) => {
          const partition = `${schema}.${quoteIdentifier(`${TABLE.events}_p202606`)}`
          await client.query(
            `ALTER TABLE ${schema}.${TABLE.events} DETACH PARTITION ${partition} CONCURRENTLY`,
          )
          await client.query(`DROP TABLE ${partition}`)
        })

        const replay = await billing.events.ingest({
          events: [june[2]!, { ...june[3]!, properties: { tokens: 99 } }, july[0]!],
        })
        expect(replay.results.map((r) => r.status)).toEqual(['duplicate', 'conflict', 'duplicate'])
        expect(await juneUsage()).toEqual([5, 15])
        // The log holds July's events only; a replay does not bring the archived partition back.
        expect((await eventLog(billing, 'cus_arch')).map((e) => e.idempotency_key)).toEqual([
          'july_0',
          'july_1',
        ])
        expect(await partitionNames(config)).not.toContain(`${TABLE.events}_p202606`)

        // A late event with a new key still lands: its month's partition is created again.
        const late = await billing.events.ingest({ events: [input('june_late', JUNE + 2 * H, 1000)] })
        expect(late.accepted).toBe(1)
        expect(await juneUsage()).toEqual([6, 1015])
        expect(await partitionNames(config)).toContain(`${TABLE.events}_p202606`)
      } finally {
        await billing.close()
      }
    }, 60_000)

    it('4 OS processes appending at once into a month without a partition create it once, and fail nothing', async () => {
      const config = store.config()
      expect(await partitionNames(config)).not.toContain(`${TABLE.events}_p202601`)
      const run = 'parts'
      await store
        .billing()
        .meters.create({ code: `${run}_calls`, event_name: `call_${run}`, aggregation: 'count' })
      // Process p sends [p·500, p·500 + 1,000): overlapping ranges, every batch into January 2026.
      const workers = [0, 1, 2, 3].map((p) =>
        spawnWorker({ config, run, from: p * 500, to: p * 500 + 1000, batch: 100 }),
      )
      const summaries = await Promise.all(workers.map((w) => w.done))
      const accepted = summaries.reduce((sum, s) => sum + (s?.accepted ?? 0), 0)
      const duplicates = summaries.reduce((sum, s) => sum + (s?.duplicates ?? 0), 0)
      const n = 2500
      expect({ accepted, duplicates }).toEqual({ accepted: n, duplicates: 4000 - n })
      expect(await partitionNames(config)).toContain(`${TABLE.events}_p202601`)
      let count = 0
      for (let c = 0; c < 10; c++) {
        const q = { customer_id: `${run}_cus_${c}`, from: BASE_TIME, to: BASE_TIME + 86_400_000 }
        count += (await store.billing().usage.get({ ...q, meter: `${run}_calls` })).quantity
      }
      expect(count).toBe(expectedTotals(n).count)
    }, 120_000)

    it('two stores creating the same month while the events table is in use take turns', async () => {
      const config = store.config()
      const month = Date.UTC(2026, 2, 5)
      const billings = await Promise.all(
        [0, 1].map(async () => createBilling({ storage: await openStorage(config), clock: () => JULY })),
      )
      const holder = new pg.Client({
        connectionString: (config as { connectionString: string }).connectionString,
      })
      await holder.connect()
      try {
        await billings[0]!.meters.create({ code: 'turns', event_name: 'turns', aggregation: 'count' })
        // An append in flight elsewhere: each creation waits for it after checking the name, so
        // two unguarded creations would both go ahead and the second would fail.
        await holder.query('BEGIN')
        await holder.query(
          `LOCK TABLE ${quoteIdentifier(config.kind === 'postgres' ? config.schema : '')}.${TABLE.events} IN ROW EXCLUSIVE MODE`,
        )
        const appends = billings.map((billing, b) =>
          billing.events.ingest({
            events: [
              {
                event_name: 'turns',
                customer_id: 'cus_turns',
                idempotency_key: `turns_${b}`,
                timestamp: month,
              },
            ],
          }),
        )
        for (let waited = 0; ; waited += 50) {
          const { rows } = await holder.query<{ n: string }>(
            'SELECT count(*) AS n FROM pg_locks WHERE NOT granted',
          )
          if (Number(rows[0]?.n) >= 2 || waited > 10_000) break
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        await holder.query('COMMIT')
        const results = await Promise.all(appends)
        expect(results.map((r) => r.accepted)).toEqual([1, 1])
        const q = { customer_id: 'cus_turns', meter: 'turns', from: month - H, to: month + H }
        expect((await billings[0]!.usage.get(q)).quantity).toBe(2)
      } finally {
        await holder.end()
        for (const billing of billings) await billing.close()
      }
    }, 60_000)
  },
)
