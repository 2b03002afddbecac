import { createRequire } from 'node:module'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { arrayParameter } from './array-literal.js'

// pg's own conversion of a parameter: what it would send for an array we hand it unchanged.
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils') as {
  prepareValue: (value: unknown) => unknown
}

describe('arrayParameter', () => {
  it('writes exactly the literal pg writes, for any strings, numbers, bigints, booleans and nulls', () => {
    const element = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('\\', '"', '{', '}', ',', ' ', 'a', 'NULL') }),
      // Quotes and backslashes beside control characters, surrogates (paired and lone) and
      // characters JSON leaves bare (U+2028, DEL): each side of the quick JSON quoting.
      fc.string({
        unit: fc.constantFrom(
          '\\',
          '"',
          'a',
          '\n',
          '\u0000',
          '\u001f',
          '\u007f',
          '\u2028',
          '\ud83d\ude00',
          '\ud800',
          'é',
        ),
      }),
      // JSON documents, as `properties` columns hold them.
      fc.json(),
      fc.integer(),
      fc.double(),
      fc.bigInt(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    )
    fc.assert(
      fc.property(fc.array(element, { maxLength: 30 }), (values) => {
        expect(arrayParameter(values)).toBe(prepareValue(values))
      }),
      { numRuns: 2000 },
    )
  })

  it('hands anything else to pg unchanged', () => {
    const values = ['a', new Date(0)]
    expect(arrayParameter(values)).toBe(values)
    expect(arrayParameter([])).toBe('{}')
  })
})
