// invoices.run for 1,000 and 10,000 subscriptions (3 charges each, 100 events per customer and
// month) on SQLite, against raw better-sqlite3 doing the same work: per customer three aggregates
// over an indexed event table and one invoice row with a sequence number, in one transaction. Each
// round is one month's run (see invoice-workload.ts). With KOBOMETER_BENCH_INVOICE_SUBSCRIPTIONS=<n>
// (e.g. 100000) a case for n subscriptions is added, one round unless `--rounds` says otherwise:
// its store takes minutes to seed (n × 100 events a round), so the default run leaves it out.
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import { type BenchContext, defineSuite } from './harness.js'
import {
  type InvoiceRunTimes,
  invoiceRounds,
  invoiceRunRow,
  invoiceRunRows,
  monthStart,
  type RawEvent,
  timeInvoiceRounds,
} from './invoice-workload.js'
import { roundsFor } from './settings.js'
import { benchDir, openRawSqlite } from './sqlite-fixture.js'

function rawInvoicer(raw: Database.Database) {
  raw.exec(`CREATE TABLE events (customer_id TEXT, timestamp INTEGER, tokens INTEGER);
    CREATE INDEX events_customer_time ON events (customer_id, timestamp);
    CREATE TABLE invoices (id TEXT PRIMARY KEY, customer_id TEXT, number INTEGER, doc TEXT);
    CREATE TABLE seq (id INTEGER PRIMARY KEY, value INTEGER); INSERT INTO seq VALUES (1, 0);`)
  const insert = raw.prepare('INSERT INTO events VALUES (?, ?, ?)')
  const count = raw.prepare(
    'SELECT count(*) AS n FROM events WHERE customer_id = ? AND timestamp >= ? AND timestamp < ?',
  )
  const sum = raw.prepare(
    'SELECT sum(tokens) AS s FROM events WHERE customer_id = ? AND timestamp >= ? AND timestamp < ?',
  )
  const next = raw.prepare('UPDATE seq SET value = value + 1 WHERE id = 1 RETURNING value')
  const invoice = raw.prepare('INSERT INTO invoices VALUES (?, ?, ?, ?)')
  return {
    close: () => raw.close(),
    add: raw.transaction((rows: RawEvent[]) => {
      for (const r of rows) insert.run(r.customer_id, r.timestamp, r.tokens)
    }),
    run: (customers: number, month: number) => {
      const from = monthStart(month)
      const to = monthStart(month + 1)
      for (let c = 0; c < customers; c++) {
        raw.transaction(() => {
          const id = `cus_${c}`
          const calls = count.get(id, from, to) as { n: number }
          const tokens = sum.get(id, from, to) as { s: number }
          const tiered = count.get(id, from, to) as { n: number }
          const { value } = next.get() as { value: number }
          invoice.run(
            `in_${month}_${c}`,
            id,
            value,
            JSON.stringify({ calls: calls.n, tokens: tokens.s, tiered: tiered.n }),
          )
        })()
      }
    },
  }
}

async function measure(
  dir: string,
  customers: number,
  rounds: number,
  log: (m: string) => void,
): Promise<InvoiceRunTimes> {
  const raw = rawInvoicer(openRawSqlite(join(dir, `raw-${customers}.db`)))
  try {
    const storage = sqliteStorage({ filename: join(dir, `kobometer-${customers}.db`) })
    return await timeInvoiceRounds(storage, raw, customers, rounds, log)
  } finally {
    raw.close()
  }
}

const LARGE = Number(process.env.KOBOMETER_BENCH_INVOICE_SUBSCRIPTIONS ?? 0)

export default defineSuite<ReturnType<typeof benchDir>>({
  name: 'invoices-sqlite',
  setup: () => benchDir(),
  teardown: (s) => s.remove(),
  cases: [
    {
      name: 'invoices.run 1,000 and 10,000 subscriptions',
      run: async (s, ctx) => {
        return invoiceRunRows(
          'sqlite',
          ctx.quick,
          (customers) => measure(s.dir, customers, invoiceRounds(), ctx.log),
          10,
          0.4,
        )
      },
    },
    ...(LARGE > 0
      ? [
          {
            name: `invoices.run ${LARGE.toLocaleString()} subscriptions`,
            run: async (s: ReturnType<typeof benchDir>, ctx: BenchContext) =>
              invoiceRunRow('sqlite', LARGE, await measure(s.dir, LARGE, roundsFor(1), ctx.log), {
                minRatio: 0.4,
                ...(LARGE === 100_000 ? { max: 45 } : {}),
              }),
          },
        ]
      : []),
  ],
})
