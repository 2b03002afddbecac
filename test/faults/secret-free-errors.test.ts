import { inspect } from 'node:util'
import mysql from 'mysql2'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { storageFailure } from '../../src/adapters/kysely/storage-errors.js'
import { mysqlStorage } from '../../src/adapters/mysql.js'
import { postgresStorage } from '../../src/adapters/postgres.js'
import { BillingError, ErrorCode, ValidationError } from '../../src/core/errors.js'
import type { Storage } from '../../src/core/ports/index.js'
import { mysqlTarget, postgresTarget } from '../support/targets.js'

const SECRET = 'S3cret'
// A password with URL-special characters, percent-encoded as a connection URL needs it.
const ENCODED = encodeURIComponent(`ab#${SECRET}/?@:%`)

/** Every way an error reaches a log: inspected deeply (cause chain included) and as JSON. */
function everyRendering(error: unknown): string {
  return `${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}\n${String(error)}`
}

function expectNoSecret(error: unknown): void {
  const text = everyRendering(error)
  expect(text).not.toContain(SECRET)
  expect(text).not.toContain(ENCODED)
}

async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run()
  } catch (error) {
    return error
  }
  throw new Error('expected a failure')
}

async function failureOfMigrate(storage: Storage): Promise<unknown> {
  const error = await failureOf(() => storage.migrate())
  await storage.close()
  return error
}

describe('storage errors never show the database password', () => {
  it('a MySQL URI whose password holds an unencoded # is an INVALID_OPTIONS error on uri', async () => {
    const error = await failureOf(() =>
      mysqlStorage({ uri: `mysql://root:ab#${SECRET}@127.0.0.1:3306/test` }),
    )
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ code: ErrorCode.INVALID_OPTIONS, details: { path: 'uri' } })
    expectNoSecret(error)
  })

  it('a malformed MySQL URI is an INVALID_OPTIONS error on uri', async () => {
    const error = await failureOf(() => mysqlStorage({ uri: `mysql://root:${SECRET}@127.0.0.1:port/test` }))
    expect(error).toMatchObject({ code: ErrorCode.INVALID_OPTIONS, details: { path: 'uri' } })
    expectNoSecret(error)
  })

  it('a PostgreSQL connection string whose password holds an unencoded # is an INVALID_OPTIONS error on connectionString', async () => {
    const error = await failureOf(() =>
      postgresStorage({ connectionString: `postgres://postgres:ab#${SECRET}@127.0.0.1:5432/test` }),
    )
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ code: ErrorCode.INVALID_OPTIONS, details: { path: 'connectionString' } })
    expectNoSecret(error)
  })

  it('a driver error carrying the connection settings is wrapped without them', () => {
    const driverError = Object.assign(
      new Error(`connect to mysql://root:${ENCODED}@db failed: password=${SECRET}`),
      {
        code: 'ECONNREFUSED',
        input: `mysql://root:${ENCODED}@db`,
        config: { password: SECRET },
        cause: Object.assign(new Error('inner'), { client: { password: SECRET } }),
      },
    )
    const error = storageFailure('mysql', 'events.append', driverError, [SECRET])
    expect(error).toMatchObject({
      code: ErrorCode.STORAGE_UNAVAILABLE,
      details: { operation: 'events.append', retryable: true, driver_code: 'ECONNREFUSED' },
    })
    expect((error.cause as Error).message).toContain('failed')
    expectNoSecret(error)
  })

  it('a PostgreSQL server that refuses connections is a retryable STORAGE_UNAVAILABLE without the password', async () => {
    const error = await failureOfMigrate(
      postgresStorage({ connectionString: `postgres://postgres:${ENCODED}@127.0.0.1:1/test` }),
    )
    expect(error).toBeInstanceOf(BillingError)
    expect(error).toMatchObject({ code: ErrorCode.STORAGE_UNAVAILABLE, details: { retryable: true } })
    expectNoSecret(error)
    const hostPool = new pg.Pool({ host: '127.0.0.1', port: 1, user: 'postgres', password: SECRET })
    const fromPool = await failureOfMigrate(postgresStorage({ pool: hostPool }))
    await hostPool.end()
    expect(fromPool).toMatchObject({ code: ErrorCode.STORAGE_UNAVAILABLE })
    expectNoSecret(fromPool)
  })

  it('a MySQL server that refuses connections is a retryable STORAGE_UNAVAILABLE without the password', async () => {
    const error = await failureOfMigrate(mysqlStorage({ uri: `mysql://root:${ENCODED}@127.0.0.1:1/test` }))
    expect(error).toMatchObject({ code: ErrorCode.STORAGE_UNAVAILABLE, details: { retryable: true } })
    expectNoSecret(error)
    const hostPool = mysql.createPool({ host: '127.0.0.1', port: 1, user: 'root', password: SECRET })
    const fromPool = await failureOfMigrate(mysqlStorage({ pool: hostPool }))
    await hostPool.promise().end()
    expect(fromPool).toMatchObject({ code: ErrorCode.STORAGE_UNAVAILABLE })
    expectNoSecret(fromPool)
  })

  describe.skipIf(postgresTarget.skip || mysqlTarget.skip)('against running servers', () => {
    it('a wrong password on a live server leaves it out of the error', async () => {
      const pgUrl = new URL(process.env.KOBOMETER_PG_URL!)
      pgUrl.password = ENCODED
      const pgError = await failureOf(async () => {
        const storage = postgresStorage(
          { connectionString: pgUrl.toString() },
          { schema: 'kobometer_no_such' },
        )
        try {
          await storage.meters.list()
        } finally {
          await storage.close()
        }
      })
      expectNoSecret(pgError)
      const mysqlUrl = new URL(process.env.KOBOMETER_MYSQL_URL!)
      mysqlUrl.password = ENCODED
      const storage = mysqlStorage({ uri: mysqlUrl.toString() })
      const mysqlError = await failureOfMigrate(storage)
      expect(mysqlError).toBeInstanceOf(BillingError)
      expectNoSecret(mysqlError)
    })
  })
})
