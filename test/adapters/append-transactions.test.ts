import { describe, expect, it } from 'vitest'
import { mysqlStorage } from '../../src/adapters/mysql.js'
import { postgresStorage } from '../../src/adapters/postgres.js'
import { ErrorCode } from '../../src/index.js'

// Building a storage connects to nothing, so these need no database.
describe('appendTransactions', () => {
  const build = [
    (n: unknown) =>
      postgresStorage(
        { connectionString: 'postgres://u@127.0.0.1:1/db' },
        { appendTransactions: n as number },
      ),
    (n: unknown) => mysqlStorage({ uri: 'mysql://u@127.0.0.1:1/db' }, { appendTransactions: n as number }),
  ]

  it.each([0, 17, 2.5, -1, Number.NaN, '4', null])(
    'refuses %s with INVALID_OPTIONS on appendTransactions',
    (n) => {
      for (const make of build) {
        expect(() => make(n)).toThrow(
          expect.objectContaining({
            code: ErrorCode.INVALID_OPTIONS,
            details: { path: 'appendTransactions' },
          }),
        )
      }
    },
  )

  it.each([undefined, 1, 4, 16])('accepts %s', async (n) => {
    for (const make of build) await make(n).close()
  })
})
