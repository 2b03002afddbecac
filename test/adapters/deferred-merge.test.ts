import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mergeSliceScript } from '../../src/adapters/kysely/deferred-merge.js'
import { DeltaFold, encodeDeltas } from '../../src/adapters/kysely/delta-fold.js'
import { TABLE } from '../../src/adapters/kysely/schema.js'
import { registerDecimalFunctions } from '../../src/adapters/kysely/sqlite/sqlite-decimal-functions.js'
import { sqliteQuirks } from '../../src/adapters/kysely/sqlite/sqlite-quirks.js'
import { SqliteRunner } from '../../src/adapters/kysely/sqlite/sqlite-runner.js'
import { SqliteStatementCache } from '../../src/adapters/kysely/sqlite/sqlite-statement-cache.js'
import { statementSet } from '../../src/adapters/kysely/statement-set.js'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { RollupDelta } from '../../src/core/meters/types.js'
import type { Storage } from '../../src/core/ports/index.js'
import { createBilling, ErrorCode } from '../../src/index.js'
import { event, HOUR, meter, T0 } from '../../src/testing/ports/port-fixtures.js'
import { turnOfTheEventLoop } from '../support/event-loop.js'
import { connect, migrateFirst } from '../support/older-store.js'

// SQLite defers the customer index and the rollups to a merge: these check when it runs and what
// the tables hold before and after, which the storage suites (reads only) cannot see.
describe('the deferred merge on SQLite', () => {
  let dir: string
  let file: string
  let storages: Storage[]

  const open = async (mergeEvery?: number): Promise<Storage> => {
    const storage = sqliteStorage({ filename: file }, mergeEvery === undefined ? {} : { mergeEvery })
    storages.push(storage)
    await storage.migrate()
    return storage
  }
  // What the tables hold, read on a connection of its own.
  const tables = () => {
    const db = new Database(file, { readonly: true })
    try {
      const one = (sql: string) => db.prepare(sql).get() as { n: number }
      return {
        merged: one(`SELECT merged_seq AS n FROM ${TABLE.state}`).n,
        pending: one(`SELECT count(*) AS n FROM ${TABLE.pendingRollups}`).n,
        indexed: one(`SELECT count(*) AS n FROM ${TABLE.eventOrder}`).n,
        calls: one(`SELECT coalesce(sum(count), 0) AS n FROM ${TABLE.rollups} WHERE meter = 'calls'`).n,
        hourCalls: one(`SELECT coalesce(sum(count), 0) AS n FROM ${TABLE.meterHours} WHERE meter = 'calls'`)
          .n,
      }
    } finally {
      db.close()
    }
  }
  const events = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) =>
      event('', `e${from + i}`, `cus_${(from + i) % 3}`, T0 + (from + i) * 1000),
    )

  const firstHourCalls = async (storage: Storage) =>
    (
      await storage.meters.readRollups({
        meter: 'calls',
        customer_id: 'cus_0',
        fromBucket: T0,
        toBucket: T0 + HOUR,
      })
    ).count

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kobometer-merge-'))
    file = join(dir, 'billing.db')
    storages = []
  })
  afterEach(async () => {
    for (const s of storages) await s.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('leaves appends unmerged until mergeEvery events, or a quarter as many appends, then the append that reaches it merges', async () => {
    const storage = await open(40)
    await storage.meters.insert(meter('', 'calls'), compileMeterEffects)
    await storage.events.append(events(0, 2), compileMeterEffects)
    await storage.events.append(events(2, 2), compileMeterEffects)
    expect(tables()).toEqual({ merged: 0, pending: 2, indexed: 0, calls: 0, hourCalls: 0 })
    // A replay adds nothing to the tail.
    await storage.events.append(events(0, 4), compileMeterEffects)
    expect(tables()).toMatchObject({ merged: 0, pending: 2 })
    await storage.events.append(events(4, 34), compileMeterEffects)
    expect(tables()).toMatchObject({ merged: 0, pending: 3 })
    await storage.events.append(events(38, 2), compileMeterEffects)
    expect(tables()).toEqual({ merged: 40, pending: 0, indexed: 40, calls: 40, hourCalls: 40 })
    // Single events: the tenth append since the merge merges (each pending row costs the merge a parse).
    for (let i = 40; i < 49; i++) await storage.events.append(events(i, 1), compileMeterEffects)
    expect(tables()).toMatchObject({ merged: 40, pending: 9 })
    await storage.events.append(events(49, 1), compileMeterEffects)
    expect(tables()).toEqual({ merged: 50, pending: 0, indexed: 50, calls: 50, hourCalls: 50 })
  })

  it('merges small appends in slices between requests, long before the bound, and leaves batches to it', async () => {
    const storage = await open(1_000_000)
    await storage.meters.insert(meter('', 'calls'), compileMeterEffects)
    // A host serving one event per request: the event loop turns between appends.
    for (let i = 0; i < 200; i++) {
      await storage.events.append(events(i, 1), compileMeterEffects)
      await turnOfTheEventLoop()
    }
    const sliced = tables()
    expect(sliced.merged).toBeGreaterThanOrEqual(200 - 80)
    expect(sliced.pending).toBeLessThan(80)
    expect(sliced.calls + sliced.pending).toBe(200)
    expect(sliced.hourCalls).toBe(sliced.calls)
    // Appends of ten events: a tail of batches waits for the bound (or a read), however idle.
    expect(await firstHourCalls(storage)).toBe(67)
    const before = tables()
    expect(before).toMatchObject({ merged: 200, pending: 0 })
    for (let i = 0; i < 100; i++) {
      await storage.events.append(events(200 + i * 10, 10), compileMeterEffects)
      await turnOfTheEventLoop()
    }
    expect(tables()).toMatchObject({ merged: before.merged, calls: before.calls })
    expect(await firstHourCalls(storage)).toBe(400)
    expect(tables()).toEqual({ merged: 1200, pending: 0, indexed: 1200, calls: 1200, hourCalls: 1200 })
  })

  it('reads stay exact whichever half of the tail a slice left: events unindexed or deltas pending', async () => {
    const storage = await open(1_000_000)
    await storage.meters.insert(meter('', 'calls'), compileMeterEffects)
    for (let i = 0; i < 9; i++) await storage.events.append(events(i, 1), compileMeterEffects)
    const db = new Database(file)
    registerDecimalFunctions(db)
    const runner = new SqliteRunner(db, new SqliteStatementCache(db), sqliteQuirks)
    const slice = (maxRows: number, maxEvents: number) =>
      runner.write(() =>
        mergeSliceScript(statementSet(sqliteQuirks), { minRows: 1, maxRows, maxEvents, maxEventsPerRow: 1 }),
      )
    try {
      // Every event indexed, two appends' deltas folded: seven still pending.
      expect(await slice(2, 100)).toBe(true)
      expect(tables()).toMatchObject({ merged: 9, pending: 7, indexed: 9, calls: 2 })
      expect(await firstHourCalls(storage)).toBe(3)
      expect(tables()).toMatchObject({ merged: 9, pending: 0, calls: 9 })
      // The other way round: every delta folded, six events not yet indexed.
      for (let i = 9; i < 17; i++) await storage.events.append(events(i, 1), compileMeterEffects)
      expect(await slice(100, 2)).toBe(false)
      expect(tables()).toMatchObject({ merged: 11, pending: 0, indexed: 11, calls: 17 })
      const listed = await storage.events.list({ customer_id: 'cus_1', limit: 10 })
      expect(listed.map((e) => e.idempotency_key)).toEqual(['e1', 'e4', 'e7', 'e10', 'e13', 'e16'])
    } finally {
      db.close()
    }
  })

  it('merges before a read, so reads see every committed event, from this process or another', async () => {
    const writer = await open()
    const reader = await open()
    await writer.meters.insert(meter('', 'calls'), compileMeterEffects)
    await writer.events.append(events(0, 7), compileMeterEffects)
    expect(tables()).toMatchObject({ merged: 0, pending: 1, indexed: 0 })
    expect(await firstHourCalls(reader)).toBe(3)
    expect(tables()).toEqual({ merged: 7, pending: 0, indexed: 7, calls: 7, hourCalls: 7 })
    await writer.events.append(events(7, 2), compileMeterEffects)
    const listed = await reader.events.list({ customer_id: 'cus_1', limit: 10 })
    expect(listed.map((e) => e.idempotency_key)).toEqual(['e1', 'e4', 'e7'])
    const edge = await reader.events.readEdges({
      customer_id: 'cus_2',
      event_name: 'call',
      from: T0,
      to: T0 + 9000,
    })
    expect(edge.map((e) => e.idempotency_key)).toEqual(['e2', 'e5', 'e8'])
  })

  it('indexes the events of a writer that writes rollups at append (the release before) without counting them twice', async () => {
    const storage = await open()
    await storage.meters.insert(meter('', 'calls'), compileMeterEffects)
    await storage.events.append(events(0, 3), compileMeterEffects)
    // What the release before writes for one event: the row, and its rollup at once.
    const db = new Database(file)
    db.prepare(
      `INSERT INTO ${TABLE.events} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at) VALUES ('old', 'cus_0', 'call', ?, '{}', 'h', ?)`,
    ).run(T0 + 500, T0)
    db.prepare(
      `INSERT INTO ${TABLE.rollups} (meter, customer_id, bucket, count) VALUES ('calls', 'cus_0', ?, 1) ON CONFLICT DO UPDATE SET count = count + 1`,
    ).run(T0)
    db.close()
    expect(await firstHourCalls(storage)).toBe(2)
    const listed = await storage.events.list({ customer_id: 'cus_0', limit: 10 })
    expect(listed.map((e) => e.idempotency_key)).toEqual(['e0', 'old'])
  })

  it('fills the minute rollups of a store the release before wrote, so windows inside an hour stay exact', async () => {
    const { db, quirks } = await connect({ kind: 'sqlite', filename: file })
    try {
      await migrateFirst(db, quirks, 14)
      const meters = [
        { code: 'calls', event_name: 'call', aggregation: 'count', property: null },
        { code: 'tokens', event_name: 'call', aggregation: 'sum', property: 'tokens' },
        { code: 'peak', event_name: 'call', aggregation: 'max', property: 'tokens' },
      ]
      for (const [i, m] of meters.entries())
        await sql`INSERT INTO ${sql.table(TABLE.meters)} (code, definition, created_at, creation_order)
          VALUES (${m.code}, ${JSON.stringify({ ...m, name: null, filters: null, created_at: '2026-01-01T00:00:00.000Z' })}, '2026-01-01T00:00:00.000Z', ${i + 1})`.execute(
          db,
        )
      for (let i = 0; i < 300; i++)
        await sql`INSERT INTO ${sql.table(TABLE.events)} (idempotency_key, customer_id, event_name, timestamp, properties, payload_hash, received_at)
          VALUES (${`old_${i}`}, 'cus_1', 'call', ${T0 + i * 11_987}, ${JSON.stringify({ tokens: (i % 7) * 1.5 })}, 'h', ${T0})`.execute(
          db,
        )
    } finally {
      await db.destroy()
    }
    const billing = await createBilling({ storage: await open() })
    const within = (from: number, to: number) => (_: unknown, i: number) =>
      T0 + i * 11_987 >= from && T0 + i * 11_987 < to
    for (const [from, to] of [
      [T0 + 61_007, T0 + 50 * 60_000 + 3],
      [T0 + 17, T0 + 59 * 60_000 + 59_999],
    ] as const) {
      const inWindow = Array.from({ length: 300 }, (_, i) => i).filter(within(from, to))
      const usage = (meter: string) => billing.usage.get({ customer_id: 'cus_1', meter, from, to })
      expect((await usage('calls')).quantity).toBe(inWindow.length)
      expect((await usage('tokens')).precise_quantity).toBe(
        String(inWindow.reduce((n, i) => n + (i % 7) * 1.5, 0)),
      )
      expect((await usage('peak')).precise_quantity).toBe('9')
    }
    const db2 = new Database(file, { readonly: true })
    const rows = db2.prepare(`SELECT count(*) AS n FROM ${TABLE.minuteRollups}`).get() as { n: number }
    db2.close()
    expect(rows.n).toBeGreaterThan(0)
  })

  it('refuses a mergeEvery outside 1 to 1,000,000 with INVALID_OPTIONS', () => {
    for (const mergeEvery of [0, 1_000_001, 2.5, Number.NaN, '10'])
      expect(() => sqliteStorage({ filename: file }, { mergeEvery: mergeEvery as number })).toThrow(
        expect.objectContaining({ code: ErrorCode.INVALID_OPTIONS, details: { path: 'mergeEvery' } }),
      )
  })

  it('keeps pending deltas exactly: lone surrogates, NUL, decimals, latest values and unique values', () => {
    const deltas: RollupDelta[] = [
      {
        meter: 'm',
        customer_id: 'cus_\uD800x\u0000 ',
        bucket: T0,
        count: 3,
        sum: '0.30000000000000000001',
        min: '-0.00000000000000000001',
        max: '99999999999999999999.5',
        latest: { timestamp: T0 + 1, key: 'k\uDFFF', value: '-0.1' },
        values: ['a', '\uD83D', ''],
      },
      {
        meter: 'n',
        customer_id: 'c',
        bucket: 0,
        count: 1,
        sum: null,
        min: null,
        max: null,
        latest: null,
        values: null,
      },
    ]
    expect(new DeltaFold().addEncoded(encodeDeltas(deltas)).deltas()).toEqual(deltas)
    // An append's row as it comes, a key twice: the merge folds it.
    const twice = new DeltaFold().addEncoded(encodeDeltas([deltas[1]!, { ...deltas[1]!, count: 2 }])).deltas()
    expect(twice).toEqual([{ ...deltas[1], count: 3 }])
  })
})
