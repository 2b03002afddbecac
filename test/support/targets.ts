import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Storage } from '../../src/core/ports/index.js'

/** Where a store lives, in a form a child process can receive as JSON. */
export type StoreConfig =
  | { kind: 'memory' }
  | { kind: 'sqlite'; filename: string; mergeEvery?: number }
  | { kind: 'postgres'; connectionString: string; schema: string }
  | { kind: 'mysql'; uri: string }

/** A database the suites run against: how to make a fresh store, or why it is skipped. */
export interface Target {
  name: 'memory' | 'sqlite' | 'sqlite, merging every 2 events' | 'postgres' | 'mysql'
  /** One line: why this target does not run here. Never set under CI=true: a missing database fails CI. */
  skip?: string
  /** Makes a fresh, empty store. */
  fresh(): Promise<{ config: StoreConfig; destroy(): Promise<void> }>
}

const isCI = process.env.CI === 'true' || process.env.CI === '1'
const random = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`

function missing(variable: string, name: string): string | undefined {
  if (process.env[variable]) return undefined
  if (isCI) throw new Error(`CI=true but ${variable} is not set: the ${name} suites must run in CI`)
  return `${variable} is not set`
}

/** Opens a storage on a store config (a new instance each call: several may share one store). */
export async function openStorage(config: StoreConfig): Promise<Storage> {
  switch (config.kind) {
    case 'memory':
      return (await import('../../src/adapters/memory/index.js')).memoryStorage()
    case 'sqlite':
      return (await import('../../src/adapters/sqlite.js')).sqliteStorage(
        { filename: config.filename },
        config.mergeEvery === undefined ? {} : { mergeEvery: config.mergeEvery },
      )
    case 'postgres':
      return (await import('../../src/adapters/postgres.js')).postgresStorage(
        { connectionString: config.connectionString },
        { schema: config.schema },
      )
    case 'mysql':
      return (await import('../../src/adapters/mysql.js')).mysqlStorage({ uri: config.uri })
  }
}

export const memoryTarget: Target = {
  name: 'memory',
  fresh: async () => ({ config: { kind: 'memory' }, destroy: async () => {} }),
}

// A fresh SQLite file in its own temporary folder, opened with `options`.
const freshSqlite =
  (options: { mergeEvery?: number } = {}): Target['fresh'] =>
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kobometer-'))
    return {
      config: { kind: 'sqlite', filename: join(dir, 'billing.db'), ...options },
      destroy: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }

export const sqliteTarget: Target = { name: 'sqlite', fresh: freshSqlite() }

/**
 * SQLite with a merge at almost every append (`mergeEvery: 2`): the suites then cover appends that
 * merge, reads that merge, and reads of a tail a single event long, where the default leaves
 * thousands of events unmerged between reads.
 */
export const sqliteMergingTarget: Target = {
  name: 'sqlite, merging every 2 events',
  fresh: freshSqlite({ mergeEvery: 2 }),
}

const pgUrl = process.env.KOBOMETER_PG_URL
export const postgresTarget: Target = {
  name: 'postgres',
  ...(missing('KOBOMETER_PG_URL', 'PostgreSQL') ? { skip: missing('KOBOMETER_PG_URL', 'PostgreSQL') } : {}),
  fresh: async () => {
    const { default: pg } = await import('pg')
    const schema = `kobometer_test_${random()}`
    const admin = new pg.Client({ connectionString: pgUrl })
    await admin.connect()
    await admin.query(`CREATE SCHEMA "${schema}"`)
    await admin.end()
    return {
      config: { kind: 'postgres', connectionString: pgUrl!, schema },
      destroy: async () => {
        const c = new pg.Client({ connectionString: pgUrl })
        await c.connect()
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await c.end()
      },
    }
  },
}

const mysqlUrl = process.env.KOBOMETER_MYSQL_URL
export const mysqlTarget: Target = {
  name: 'mysql',
  ...(missing('KOBOMETER_MYSQL_URL', 'MySQL') ? { skip: missing('KOBOMETER_MYSQL_URL', 'MySQL') } : {}),
  fresh: async () => {
    const mysql = await import('mysql2/promise')
    const database = `kobometer_test_${random()}`
    const admin = await mysql.createConnection(mysqlUrl!)
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`)
    await admin.end()
    const url = new URL(mysqlUrl!)
    url.pathname = `/${database}`
    return {
      config: { kind: 'mysql', uri: url.toString() },
      destroy: async () => {
        const c = await mysql.createConnection(mysqlUrl!)
        await c.query(`DROP DATABASE IF EXISTS \`${database}\``)
        await c.end()
      },
    }
  },
}

/** Every SQL target: the suites that need real databases run against each. */
export const sqlTargets: Target[] = [sqliteTarget, postgresTarget, mysqlTarget]
