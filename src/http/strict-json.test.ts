import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../core/errors.js'
import { parseStrictJson } from './strict-json.js'

function failure(text: string, maxDepth?: number): { code: string; path: unknown; message: string } {
  try {
    parseStrictJson(text, maxDepth)
  } catch (error) {
    const e = error as { code: string; details: { path?: unknown }; message: string }
    return { code: e.code, path: e.details.path, message: e.message }
  }
  throw new Error(`parsed: ${text}`)
}

describe('parseStrictJson', () => {
  it('parses what JSON.parse parses, the same way', () => {
    const text =
      '{"events": [{"event_name": "api_call", "n": -12.5e-3, "ok": true, "none": null, "s": "a\\"b\\u00e9\\n"}], "e": [], "o": {}}'
    expect(parseStrictJson(text)).toEqual(JSON.parse(text))
    const numbers =
      '[0, -0, 7, -7, 10, 123456789012345, -123456789012345, 1234567890123456, 1.5, 1e5, -2E-3, 0.25]'
    expect(parseStrictJson(numbers)).toEqual(JSON.parse(numbers))
    expect(Object.is((parseStrictJson('[-0]') as number[])[0], -0)).toBe(true)
  })

  it('keeps numbers a double cannot hold exactly as their literal, and __proto__ as a key', () => {
    const parsed = parseStrictJson('{"big": 12345678901234567891, "fine": 1700000000000, "__proto__": 1}')
    expect(parsed).toEqual({ big: '12345678901234567891', fine: 1700000000000, ['__proto__']: 1 })
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(Object.keys(parsed as object)).toContain('__proto__')
  })

  it('names the path of the offending value, through objects and arrays', () => {
    expect(failure('{"a": 1, "a": 2}')).toMatchObject({ code: ErrorCode.DUPLICATE_JSON_KEY, path: 'a' })
    expect(failure('{"events": [{"x": 1}, {"p": {"k": 1, "k": 2}}]}')).toMatchObject({
      code: ErrorCode.DUPLICATE_JSON_KEY,
      path: 'events[1].p.k',
    })
    expect(failure('[1, [2, tru]]')).toMatchObject({ code: ErrorCode.INVALID_JSON, path: '[1][1]' })
    expect(failure('{"a": {"b": 1 x}}')).toMatchObject({ code: ErrorCode.INVALID_JSON, path: 'a' })
    expect(failure('{"a": [1 2]}')).toMatchObject({ code: ErrorCode.INVALID_JSON, path: 'a' })
    expect(failure('{"a": {"b" 1}}')).toMatchObject({ code: ErrorCode.INVALID_JSON, path: 'a.b' })
    expect(failure('{"a": [{"s": "x\u0001"}]}')).toMatchObject({
      code: ErrorCode.INVALID_JSON,
      path: 'a[0].s',
    })
    expect(failure('{"a": [0, 01]}')).toMatchObject({ code: ErrorCode.INVALID_JSON, path: 'a' })
    expect(failure('{"a": {"b": {"c": 1}}}', 2)).toMatchObject({ code: ErrorCode.JSON_TOO_DEEP, path: 'a.b' })
    expect(failure('{"a": [[1]]}', 2)).toMatchObject({ code: ErrorCode.JSON_TOO_DEEP, path: 'a[0]' })
    expect(failure('{"a": 1}  x')).toMatchObject({ code: ErrorCode.INVALID_JSON, path: '' })
  })

  it('says where the text went wrong', () => {
    expect(failure('{"a": tru}').message).toBe('body is not valid JSON: unexpected character at character 6')
    expect(failure(`{"n": ${'1'.repeat(1100)}}`).message).toMatch(/number longer than 1,024 characters/)
    expect(failure('{"n": -x}').message).toBe('body is not valid JSON: bad number at character 6')
    expect(failure('{"n": 1.}').message).toBe('body is not valid JSON: expected "," or "}" at character 8')
  })
})
