import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe } from 'vitest'
import type { SqlOp } from '../../src/adapters/kysely/sql-script.js'
import { openStorage, sqliteTarget } from './targets.js'

/** SQLite's plan of one statement: the `detail` of each row of `EXPLAIN QUERY PLAN`. */
export type PlanOf = (op: SqlOp) => string[]

/**
 * A `describe` over a fresh SQLite store with every migration applied; `body` registers tests that
 * read the plans SQLite makes for kobometer's statements, so a missing index fails them.
 *
 * @example
 * describeSqlitePlans('invoice pages', (plan) => {
 *   it('use the index', () => expect(plan(statements.invoices.page({ limit: 10 }))).toEqual([…]))
 * })
 */
export function describeSqlitePlans(title: string, body: (plan: PlanOf) => void): void {
  describe(title, () => {
    let database: Database.Database | undefined
    let destroy: (() => Promise<void>) | undefined
    beforeAll(async () => {
      const fresh = await sqliteTarget.fresh()
      destroy = fresh.destroy
      if (fresh.config.kind !== 'sqlite') throw new Error('a SQLite store')
      const storage = await openStorage(fresh.config)
      await storage.migrate()
      await storage.close()
      database = new Database(fresh.config.filename, { readonly: true })
    })
    afterAll(async () => {
      database?.close()
      await destroy?.()
    })
    body((op) =>
      database!
        .prepare(`EXPLAIN QUERY PLAN ${op.sql}`)
        .all(...op.params)
        .map((row) => String((row as { detail: string }).detail)),
    )
  })
}
