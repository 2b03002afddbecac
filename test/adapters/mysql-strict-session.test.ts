import { Kysely, MysqlDialect, sql } from 'kysely'
import { createPool, type Pool, type PoolConnection } from 'mysql2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KOBOMETER_SQL_MODE, setStrictMode } from '../../src/adapters/kysely/mysql/mysql-strict-session.js'
import { mysqlStorage } from '../../src/adapters/mysql.js'
import { createBilling } from '../../src/index.js'
import { mysqlTarget, type StoreConfig } from '../support/targets.js'

const modeOf = (connection: PoolConnection): Promise<{ mode: string; saved: unknown }> =>
  new Promise((resolve, reject) =>
    connection.query('SELECT @@SESSION.sql_mode AS mode, @kobometer_host_sql_mode AS saved', (error, rows) =>
      error ? reject(error) : resolve((rows as Array<{ mode: string; saved: unknown }>)[0]!),
    ),
  )

const take = (pool: Pool): Promise<PoolConnection> =>
  new Promise((resolve, reject) => pool.getConnection((error, c) => (error ? reject(error) : resolve(c))))

/** A host pool (one lax session) that records the sql_mode each customer insert runs under. */
function laxHostPool(uri: string, seen: string[]): { host: Pool; spied: Pool } {
  const host = createPool({ uri, connectionLimit: 1 })
  host.on('connection', (c) => c.query("SET SESSION sql_mode = ''"))
  const spy = (c: PoolConnection) =>
    ({
      query: (text: string, params: unknown[], callback?: (e: unknown, r: unknown) => void) => {
        if (callback === undefined || !text.includes('INTO kobometer_customers'))
          return c.query(text, params, callback as never)
        modeOf(c).then(
          ({ mode }) => {
            seen.push(mode)
            c.query(text, params, callback as never)
          },
          (error) => callback(error, undefined),
        )
      },
      release: () => c.release(),
      destroy: () => c.destroy(),
      on: (event: string, listener: (error: unknown) => void) => c.on(event, listener),
      removeListener: (event: string, listener: (error: unknown) => void) =>
        c.removeListener(event, listener),
    }) as unknown as PoolConnection
  const spied = {
    getConnection: (callback: (e: unknown, c: PoolConnection) => void) =>
      host.getConnection((error, c) => callback(error, error ? c : spy(c))),
    end: (callback: (e: unknown) => void) => callback(null),
  } as unknown as Pool
  return { host, spied }
}

describe.skipIf(mysqlTarget.skip)('MySQL sessions run in strict sql_mode', () => {
  let config: StoreConfig & { kind: 'mysql' }
  let destroy: () => Promise<void>
  beforeAll(async () => {
    const store = await mysqlTarget.fresh()
    config = store.config as StoreConfig & { kind: 'mysql' }
    destroy = store.destroy
  }, 60_000)
  afterAll(() => destroy?.(), 60_000)

  it('runs statements on a host pool in strict mode and gives the host its own mode back', async () => {
    const seen: string[] = []
    const { host, spied } = laxHostPool(config.uri, seen)
    const billing = await createBilling({ storage: mysqlStorage({ pool: spied }) })
    try {
      await billing.customers.create({ id: 'cus_strict' })
    } finally {
      await billing.close()
    }
    expect(seen).toEqual([KOBOMETER_SQL_MODE])
    const connection = await take(host)
    try {
      expect(await modeOf(connection)).toEqual({ mode: '', saved: null })
    } finally {
      connection.release()
      await new Promise((resolve) => host.end(resolve))
    }
  })

  it('sets strict mode on every connection of a pool kobometer owns', async () => {
    const pool = createPool({ uri: config.uri, connectionLimit: 2 })
    pool.on('connection', (c) => c.query("SET SESSION sql_mode = ''"))
    const db = new Kysely<unknown>({ dialect: new MysqlDialect({ pool, onCreateConnection: setStrictMode }) })
    try {
      const modes = await Promise.all(
        [1, 2].map(() =>
          db
            .connection()
            .execute(
              async (c) => (await sql<{ m: string }>`SELECT @@SESSION.sql_mode AS m`.execute(c)).rows[0]?.m,
            ),
        ),
      )
      expect(modes).toEqual([KOBOMETER_SQL_MODE, KOBOMETER_SQL_MODE])
    } finally {
      await db.destroy()
    }
  })
})
