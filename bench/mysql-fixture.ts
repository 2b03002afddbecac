import mysql from 'mysql2/promise'
import { NO_PAD_BINARY_COLLATIONS } from '../src/adapters/kysely/migrations/0004-no-pad-collation.js'

/** The MySQL or MariaDB server the MySQL benches use; they are skipped when it is not set. */
export const MYSQL_URL = process.env.KOBOMETER_MYSQL_URL

/** Why the MySQL benches did not run, or undefined when they can. */
export const mysqlSkipReason = (): string | undefined =>
  MYSQL_URL ? undefined : 'KOBOMETER_MYSQL_URL is not set (e.g. mysql://root@127.0.0.1:3306/test)'

/** A database made for one bench run: its URI, the server's version and binary NO PAD collation. */
export interface FreshDatabase {
  uri: string
  server: string
  collation: string
  drop: () => Promise<void>
}

/**
 * Creates a fresh database on the `KOBOMETER_MYSQL_URL` server (so kobometer's tables and the raw
 * tables start empty) and returns its URI and a function that drops it.
 * @example const { uri, drop } = await freshDatabase(); try { … } finally { await drop() }
 */
export async function freshDatabase(): Promise<FreshDatabase> {
  if (!MYSQL_URL) throw new Error(mysqlSkipReason())
  const name = `kobometer_bench_${Date.now().toString(36)}`
  const admin = await mysql.createConnection(MYSQL_URL)
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
    const [version] = await admin.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v')
    const [collations] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN (?)',
      [NO_PAD_BINARY_COLLATIONS],
    )
    const found = new Set(collations.map((row) => String(row.name)))
    const url = new URL(MYSQL_URL)
    url.pathname = `/${name}`
    return {
      uri: url.toString(),
      server: String(version[0]?.v),
      collation: NO_PAD_BINARY_COLLATIONS.find((c) => found.has(c)) ?? 'utf8mb4_bin',
      drop: async () => {
        const c = await mysql.createConnection(MYSQL_URL)
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``)
        await c.end()
      },
    }
  } finally {
    await admin.end()
  }
}
