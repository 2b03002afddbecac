import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { Decimal } from '../../../core/money/decimal.js'
import { registerDecimalFunctions } from './sqlite-decimal-functions.js'
import { sqliteDecimalSum } from './sqlite-quirks.js'

const db = new Database(':memory:')
registerDecimalFunctions(db)
db.exec('CREATE TABLE t (g INTEGER, v TEXT)')
afterAll(() => db.close())

const sumOf = (values: readonly (string | null)[]): unknown => {
  db.exec('DELETE FROM t')
  const insert = db.prepare('INSERT INTO t VALUES (1, ?)')
  for (const value of values) insert.run(value)
  return (db.prepare(`SELECT ${sqliteDecimalSum('v')} AS s FROM t`).get() as { s: unknown }).s
}

const exact = (values: readonly (string | null)[]): string | null => {
  const present = values.filter((v): v is string => v !== null)
  return present.length === 0 ? null : present.reduce((a, v) => a.plus(v), new Decimal(0)).toFixed()
}

describe('the SQLite decimal sum', () => {
  it('sums small whole numbers natively and everything else exactly, NULL when nothing is there', () => {
    expect(sumOf(['1', '2', '3'])).toBe('6')
    expect(sumOf(['1.5', '2', null, '-3', '1234567890123'])).toBe('1234567890123.5')
    expect(sumOf(['999999999', '999999999', '12345678901234567890.25'])).toBe('12345678903234567888.25')
    expect(sumOf(['0.1', '0.2'])).toBe('0.3')
    expect(sumOf([null, null])).toBeNull()
    expect(sumOf([])).toBeNull()
  })

  it('equals the exact decimal sum for any mix of values', () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.integer({ min: 0, max: 999_999_999 }).map(String),
      fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
      fc
        .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 1, max: 999_999 }))
        .map(([whole, fraction]) => new Decimal(`${whole}.${fraction}`).toFixed()),
    )
    fc.assert(
      fc.property(fc.array(value, { maxLength: 40 }), (values) => {
        expect(sumOf(values)).toBe(exact(values))
      }),
      { numRuns: 200 },
    )
  })
})
