import { sql } from 'kysely'
import { expect } from 'vitest'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { prepareEvent } from '../../src/core/events/validate-event.js'
import { createBilling } from '../../src/index.js'
import { connect, migrateFirst, onEachSqlTarget, table } from '../support/older-store.js'
import { openStorage } from '../support/targets.js'

const H = 3_600_000
const MAR_2025 = Date.UTC(2025, 2, 1)
const JAN_2027 = Date.UTC(2027, 0, 1)
const NOW = Date.UTC(2027, 0, 20)
const input = (key: string, timestamp: number, tokens: number) => ({
  event_name: 'call',
  customer_id: 'cus_old',
  idempotency_key: key,
  timestamp,
  properties: { tokens },
})
// Three events in March 2025, three in January 2027: months apart, with none between them.
const SEEDED = [0, 1, 2].flatMap((i) => [
  input(`mar_${i}`, MAR_2025 + i * H, i + 1),
  input(`jan_${i}`, JAN_2027 + i * H, 10 * (i + 1)),
])

// A 0015 store's event log is converted in place by 0016 (range-partitioned by month on
// PostgreSQL, unchanged elsewhere): its events read back in order with their `seq`, a meter
// created afterwards backfills them, replays are still duplicates or conflicts, and new events
// continue the numbering, in months with or without a partition.
onEachSqlTarget(
  'upgrading a 0015 store',
  'keeps its events, their order and their keys, in monthly partitions on PostgreSQL',
  async (config) => {
    const { db, quirks } = await connect(config)
    await migrateFirst(db, quirks, 15)
    for (const item of SEEDED) {
      const prepared = prepareEvent(item, NOW)
      if (!prepared.ok) throw new Error('seed event is invalid')
      const e = prepared.event
      await sql`insert into ${table(quirks, TABLE.events)} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at)
        values (${e.idempotency_key}, ${e.customer_id}, ${e.event_name}, ${e.timestamp}, ${e.properties_json}, ${e.payload_hash}, ${NOW})`.execute(
        db,
      )
    }
    const seqs = (
      await sql<{ seq: string }>`select seq from ${table(quirks, TABLE.events)} order by timestamp`.execute(
        db,
      )
    ).rows.map((row) => Number(row.seq))
    await db.destroy()

    const billing = await createBilling({ storage: await openStorage(config), clock: () => NOW })
    try {
      const listed = (await billing.events.list({ customer_id: 'cus_old', limit: 100 })).data
      expect(listed.map((e) => e.idempotency_key)).toEqual(
        [...SEEDED].sort((a, b) => a.timestamp - b.timestamp).map((e) => e.idempotency_key),
      )

      await billing.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
      await billing.meters.create({
        code: 'tokens',
        event_name: 'call',
        aggregation: 'sum',
        property: 'tokens',
      })
      const usage = async (meter: string) =>
        (await billing.usage.get({ customer_id: 'cus_old', meter, from: MAR_2025, to: NOW })).quantity
      expect([await usage('calls'), await usage('tokens')]).toEqual([6, 66])

      const replayed = await billing.events.ingest({
        events: [
          SEEDED[0]!,
          { ...SEEDED[1]!, properties: { tokens: 11 } },
          input('aug_0', Date.UTC(2025, 7, 9), 100),
        ],
      })
      expect(replayed.results.map((r) => r.status)).toEqual(['duplicate', 'conflict', 'accepted'])
      expect([await usage('calls'), await usage('tokens')]).toEqual([7, 166])

      // The stored events kept their `seq`; the new one continues after them.
      const { db: check } = await connect(config)
      const stored = await sql<{ event_key: string; seq: string }>`select idempotency_key as event_key, seq
        from ${table(quirks, TABLE.events)} order by timestamp`.execute(check)
      expect(stored.rows.filter((row) => row.event_key !== 'aug_0').map((row) => Number(row.seq))).toEqual(
        seqs,
      )
      expect(Number(stored.rows.find((row) => row.event_key === 'aug_0')?.seq)).toBeGreaterThan(
        Math.max(...seqs),
      )
      if (quirks.partitionedEvents !== null) {
        // Every month from the oldest event's to the newest's or two months ahead of now, whichever
        // is later; nothing lands in the parent, which has no rows of its own.
        const partitions = await sql<{ name: string }>`select c.relname as name from pg_inherits i
          join pg_class c on c.oid = i.inhrelid where i.inhparent = ${quirks.tables.events}::regclass
          order by c.relname`.execute(check)
        const ahead = new Date()
        ahead.setUTCMonth(ahead.getUTCMonth() + 2, 1)
        const last = Math.max(JAN_2027, ahead.getTime())
        const expected: string[] = []
        for (let d = new Date(MAR_2025); d.getTime() <= last; d.setUTCMonth(d.getUTCMonth() + 1))
          expected.push(
            `${TABLE.events}_p${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`,
          )
        expect(partitions.rows.map((row) => row.name)).toEqual(expected)
        const own = await sql<{
          n: string
        }>`select count(*) as n from only ${table(quirks, TABLE.events)}`.execute(check)
        expect(Number(own.rows[0]?.n)).toBe(0)
      }
      await check.destroy()
    } finally {
      await billing.close()
    }
  },
)
