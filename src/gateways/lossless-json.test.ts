import { describe, expect, it } from 'vitest'
import { parseJsonLossless } from './lossless-json.js'

describe('parseJsonLossless', () => {
  it('keeps integers past 2^53 as exact strings and leaves the rest alone', () => {
    const text =
      '{"id":4099260516000123457,"neg":-9007199254740993,"amount":50000,"small":1234.5,"ok":9007199254740991,' +
      '"s":"4099260516000123457 \\" 1","list":[12345678901234567890,1.5,true,null]}'
    expect(parseJsonLossless(text)).toEqual({
      id: '4099260516000123457',
      neg: '-9007199254740993',
      amount: 50000,
      small: 1234.5,
      ok: '9007199254740991',
      s: '4099260516000123457 " 1',
      list: ['12345678901234567890', 1.5, true, null],
    })
  })

  it('keeps decimals too long for a double as strings', () => {
    expect(parseJsonLossless('{"a":1234.567890123456789,"b":0.000001}')).toEqual({
      a: '1234.567890123456789',
      b: 0.000001,
    })
  })

  it('is undefined for text that is not JSON', () => {
    expect(parseJsonLossless('<html>502 Bad Gateway</html>')).toBeUndefined()
    expect(parseJsonLossless('')).toBeUndefined()
  })
})
