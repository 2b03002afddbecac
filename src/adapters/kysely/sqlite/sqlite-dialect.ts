import {
  CompiledQuery,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely'

// kysely's SQLite adapter reports no transactional DDL, so its migrator runs without a transaction
// and without a lock: two processes migrating one file would both apply a migration. SQLite's DDL
// is transactional, and a transaction started IMMEDIATE holds the file's write lock from the start.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'))
  }
}

/**
 * kysely's SQLite dialect with transactions that take the write lock up front (`BEGIN IMMEDIATE`)
 * and DDL inside them: the migrator then runs each migration in a transaction that excludes every
 * other process, and a second migrator waits (busy timeout) and finds the work done.
 *
 * @example
 * const db = new Kysely<unknown>({ dialect: new ImmediateSqliteDialect({ database }) })
 */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig

  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter()
  }
}
