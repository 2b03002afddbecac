import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely'
import type { DialectQuirks } from '../../src/adapters/kysely/dialect-quirks.js'

/** The rows a recorded query answers with (most answer none). */
export type Responder = (query: CompiledQuery) => readonly Record<string, unknown>[]

class RecordingDriver extends DummyDriver {
  readonly #connection: DatabaseConnection

  constructor(connection: DatabaseConnection) {
    super()
    this.#connection = connection
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    return this.#connection
  }
}

const PARTS = {
  sqlite: {
    adapter: () => new SqliteAdapter(),
    compiler: () => new SqliteQueryCompiler(),
    introspector: (db: Kysely<unknown>) => new SqliteIntrospector(db),
  },
  postgres: {
    adapter: () => new PostgresAdapter(),
    compiler: () => new PostgresQueryCompiler(),
    introspector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
  },
  mysql: {
    adapter: () => new MysqlAdapter(),
    compiler: () => new MysqlQueryCompiler(),
    introspector: (db: Kysely<unknown>) => new MysqlIntrospector(db),
  },
} as const

/**
 * A kysely instance with the dialect's real query compiler and no database: every query it runs
 * is compiled, recorded in `queries`, and answered by `respond`. Schema builders and raw `sql`
 * run through it yield the exact text a server would receive.
 *
 * @example
 * const { db, queries } = recordingKysely(postgresQuirks('public'), () => [])
 * await db.schema.createTable('t').addColumn('id', 'text').execute()
 * queries[0]?.sql // 'create table "t" ("id" text)'
 */
export function recordingKysely(
  quirks: DialectQuirks,
  respond: Responder,
): { db: Kysely<unknown>; queries: CompiledQuery[] } {
  const queries: CompiledQuery[] = []
  const connection: DatabaseConnection = {
    executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      queries.push(query)
      return { rows: respond(query) as R[] }
    },
    streamQuery: () => {
      throw new Error('streaming is not recorded')
    },
  }
  const parts = PARTS[quirks.dialect]
  const dialect: Dialect = {
    createAdapter: parts.adapter,
    createDriver: () => new RecordingDriver(connection),
    createIntrospector: parts.introspector,
    createQueryCompiler: parts.compiler,
  }
  return { db: new Kysely<unknown>({ dialect }), queries }
}
