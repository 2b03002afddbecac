// Limited batch ingest for customers with a history: the same 1,000 customers and plan on two
// stores, one of which also holds 24 earlier monthly periods' allowances for every customer (as two
// years of use leave them), side by side in the same run. The ratio is what that history costs an
// append: it reads only the periods its events fall in (on PostgreSQL after locking the
// customer's lock row, not every period's row).

import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { postgresStorage } from '../src/adapters/postgres.js'
import { sqliteStorage } from '../src/adapters/sqlite.js'
import type { Billing, Storage } from '../src/index.js'
import { batchesSideBySide, entitlementStore } from './entitlements-workload.js'
import type { Result } from './harness.js'
import { CUSTOMERS, sequence } from './ingest-workload.js'
import { freshSchema, PG_URL } from './pg-fixture.js'

/** Earlier periods given to every customer's allowance of each meter. */
export const PAST_PERIODS = 24

const MONTH_MS = 31 * 86_400_000

/**
 * The statements that copy every stored allowance into `PAST_PERIODS` earlier periods (document,
 * usage row), each a month apart. `tables` names the two tables; `withPeriod` rewrites a document's
 * period in the dialect's JSON functions.
 */
function historyStatements(
  tables: { allowances: string; usage: string },
  series: string,
  withPeriod: (doc: string, start: string, end: string) => string,
): string[] {
  const start = `period_start - n * ${MONTH_MS}`
  const end = `period_end - n * ${MONTH_MS}`
  return [
    `INSERT INTO ${tables.allowances} (customer_id, meter, period_start, period_end, next_expiry, doc)` +
      ` SELECT customer_id, meter, ${start}, ${end}, NULL, ${withPeriod('doc', start, end)} FROM ${tables.allowances}, ${series}`,
    `INSERT INTO ${tables.usage} (customer_id, meter, period_start, period_end, used, revision, fill)` +
      ` SELECT customer_id, meter, ${start}, ${end}, '100000', 2, 0.0000001 FROM ${tables.usage}, ${series}`,
  ]
}

async function storePair(
  storage: (name: string) => Promise<Storage>,
  addHistory: (name: string) => Promise<void>,
  log: (m: string) => void,
): Promise<[Billing, Billing]> {
  const stores: Billing[] = []
  for (const name of ['aged', 'new']) {
    const billing = await entitlementStore(await storage(name), { limited: true, customers: CUSTOMERS, log })
    // One event per customer opens each one's allowances of this period.
    await billing.events.ingest({ events: sequence().batch(CUSTOMERS) })
    if (name === 'aged') await addHistory(name)
    stores.push(billing)
  }
  return stores as [Billing, Billing]
}

const measurePair = async (label: string, pair: [Billing, Billing]): Promise<Result[]> => [
  await batchesSideBySide(
    `${label} batch ingest (1,000/call), reject limits, customers with ${PAST_PERIODS} past periods, vs new customers`,
    pair,
  ),
]

/**
 * SQLite: limited batches for customers with 24 past periods against new customers.
 * @example const rows = await historyIngestSqlite(sub('history'), ctx.log)
 */
export async function historyIngestSqlite(dir: string, log: (m: string) => void): Promise<Result[]> {
  const file = (name: string) => join(dir, `${name}.db`)
  const pair = await storePair(
    async (name) => sqliteStorage({ filename: file(name) }),
    async (name) => {
      const raw = new Database(file(name))
      const series = `(WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ${PAST_PERIODS}) SELECT n FROM k)`
      const statements = historyStatements(
        { allowances: 'kobometer_allowances', usage: 'kobometer_allowance_usage' },
        series,
        (doc, start, end) => `json_set(${doc}, '$.period_start', ${start}, '$.period_end', ${end})`,
      )
      raw.transaction(() => {
        for (const sql of statements) raw.exec(sql)
      })()
      raw.close()
    },
    log,
  )
  try {
    return await measurePair('sqlite', pair)
  } finally {
    for (const b of pair) await b.close()
  }
}

/**
 * PostgreSQL: limited batches for customers with 24 past periods against new customers.
 * @example const rows = await historyIngestPostgres(ctx.log)
 */
export async function historyIngestPostgres(log: (m: string) => void): Promise<Result[]> {
  const schemas = new Map<string, Awaited<ReturnType<typeof freshSchema>>>()
  try {
    const pair = await storePair(
      async (name) => {
        const fresh = await freshSchema(`history_${name}`)
        schemas.set(name, fresh)
        return postgresStorage({ connectionString: PG_URL }, { schema: fresh.schema })
      },
      async (name) => {
        const schema = `"${schemas.get(name)!.schema}"`
        const client = new pg.Client({ connectionString: PG_URL })
        await client.connect()
        try {
          const statements = historyStatements(
            { allowances: `${schema}.kobometer_allowances`, usage: `${schema}.kobometer_allowance_usage` },
            `generate_series(1, ${PAST_PERIODS}) AS k(n)`,
            (doc, start, end) =>
              `(${doc}::jsonb || jsonb_build_object('period_start', ${start}, 'period_end', ${end}))::text`,
          )
          for (const sql of statements) await client.query(sql)
          await client.query(
            `ANALYZE ${schema}.kobometer_allowances; ANALYZE ${schema}.kobometer_allowance_usage`,
          )
        } finally {
          await client.end()
        }
      },
      log,
    )
    try {
      return await measurePair('postgres', pair)
    } finally {
      for (const b of pair) await b.close()
    }
  } finally {
    for (const { drop } of schemas.values()) await drop()
  }
}
