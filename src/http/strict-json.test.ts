import fc from 'fast-check'
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

const codeOf = (text: string, depth?: number) => {
  try {
    parseStrictJson(text, depth)
    return null
  } catch (error) {
    return [(error as { code: string }).code, (error as { details: { path: string } }).details.path]
  }
}

// JSON values without duplicate keys whose numbers a double holds exactly: what JSON.parse reads right.
const plainJson = fc.jsonValue({ maxDepth: 6 }).filter((value) => !JSON.stringify(value).includes('e'))

describe('parseStrictJson', () => {
  it('reads every document JSON.parse reads, the same way, when no key repeats', () => {
    fc.assert(
      fc.property(plainJson, fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent)
        expect(parseStrictJson(text)).toEqual(JSON.parse(text))
      }),
    )
  })

  it('reads escapes and unicode, lone surrogates included, as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const text = JSON.stringify({ s })
        expect(parseStrictJson(text)).toEqual({ s })
      }),
    )
    expect(parseStrictJson('"\\ud800\\u00e9\\n\\/"')).toBe('\ud800é\n/')
  })

  it('refuses a key named twice at any depth, with its path', () => {
    expect(codeOf('{"a": 1, "a": 1}')).toEqual(['DUPLICATE_JSON_KEY', 'a'])
    expect(codeOf('{"x": [{"b": {"c": 1, "c": 2}}]}')).toEqual(['DUPLICATE_JSON_KEY', 'x[0].b.c'])
    // The same key in sibling objects is fine.
    expect(parseStrictJson('[{"a": 1}, {"a": 2}]')).toEqual([{ a: 1 }, { a: 2 }])
  })

  it('refuses nesting past the limit without recursing further', () => {
    expect(codeOf(`${'['.repeat(65)}${']'.repeat(65)}`)).toEqual(['JSON_TOO_DEEP', expect.any(String)])
    expect(parseStrictJson(`${'['.repeat(64)}${']'.repeat(64)}`)).toBeInstanceOf(Array)
    expect(codeOf(`${'{"a":'.repeat(5)}1${'}'.repeat(5)}`, 4)?.[0]).toBe('JSON_TOO_DEEP')
  })

  it('keeps a number a double cannot hold exactly as the string of its literal', () => {
    expect(parseStrictJson('9007199254740993')).toBe('9007199254740993')
    expect(parseStrictJson('9007199254740992')).toBe(9007199254740992)
    expect(parseStrictJson('0.10000000000000000001')).toBe('0.10000000000000000001')
    expect(parseStrictJson('1e400')).toBe('1e400')
    expect(parseStrictJson('[0.1, -12.5, 1e3, 1.50]')).toEqual([0.1, -12.5, 1000, 1.5])
  })

  it('keeps __proto__ an ordinary key, never a prototype', () => {
    const value = parseStrictJson('{"__proto__": {"admin": true}}') as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value)).toEqual(['__proto__'])
    expect((value as { admin?: boolean }).admin).toBeUndefined()
  })

  it('refuses what JSON refuses: trailing commas, single quotes, NaN, leading zeros, control characters, trailing text', () => {
    for (const text of [
      '[1,]',
      "{'a': 1}",
      'NaN',
      '01',
      '"a\u0001"',
      '{"a": 1} x',
      '',
      '"\\u12"',
      '-',
      '{"a" 1}',
      'tru',
    ])
      expect(codeOf(text)?.[0]).toBe('INVALID_JSON')
  })

  it('parses numbers and escapes exactly as JSON.parse, -0 included', () => {
    const text =
      '{"events": [{"event_name": "api_call", "n": -12.5e-3, "ok": true, "none": null, "s": "a\\"b\\u00e9\\n"}], "e": [], "o": {}}'
    expect(parseStrictJson(text)).toEqual(JSON.parse(text))
    const numbers =
      '[0, -0, 7, -7, 10, 123456789012345, -123456789012345, 1234567890123456, 1.5, 1e5, -2E-3, 0.25]'
    expect(parseStrictJson(numbers)).toEqual(JSON.parse(numbers))
    expect(Object.is((parseStrictJson('[-0]') as number[])[0], -0)).toBe(true)
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
