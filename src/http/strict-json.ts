import { ErrorCode, ValidationError } from '../core/errors.js'
import { Decimal } from '../core/money/decimal.js'

/** How deep arrays and objects may nest in a request body, by default. */
export const DEFAULT_MAX_DEPTH = 64

/** A literal at most this long, without an exponent, always survives the trip through a double. */
const ALWAYS_EXACT = 15

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/**
 * Parses JSON the way an API must: like `JSON.parse`, but an object that names a key twice is an
 * error (`DUPLICATE_JSON_KEY`) rather than "the last one wins", nesting deeper than `maxDepth` is an
 * error (`JSON_TOO_DEEP`) rather than a stack overflow, and a number a double cannot hold exactly
 * (`12345678901234567891`, `0.10000000000000000001`, `1e400`) becomes the string of its literal, so
 * that amounts and meter values stay exact (kobometer reads decimal strings wherever it reads
 * numbers) and nothing is silently rounded. `__proto__` is an ordinary key.
 *
 * @example
 * parseStrictJson('{"amount": 90071992547409930}') // { amount: '90071992547409930' }
 * parseStrictJson('{"a": 1, "a": 2}')              // throws ValidationError DUPLICATE_JSON_KEY (path 'a')
 */
export function parseStrictJson(text: string, maxDepth = DEFAULT_MAX_DEPTH): unknown {
  const parser = new StrictParser(text, maxDepth)
  parser.space()
  const value = parser.value(0)
  parser.space()
  if (parser.at < text.length) parser.fail('unexpected text after the JSON value')
  return value
}

class StrictParser {
  at = 0
  readonly #text: string
  readonly #maxDepth: number
  /** Keys and indexes from the root to the value being read, joined into a path only for an error. */
  readonly #path: Array<string | number> = []
  /** Keys read so far, by length and first character. */
  readonly #keys = new Map<number, string>()

  constructor(text: string, maxDepth: number) {
    this.#text = text
    this.#maxDepth = maxDepth
  }

  fail(message: string, code: ErrorCode = ErrorCode.INVALID_JSON): never {
    const where = code === ErrorCode.INVALID_JSON ? ` at character ${this.at}` : ''
    throw new ValidationError(code, `body is not valid JSON: ${message}${where}`, { path: this.#pathText() })
  }

  #pathText(): string {
    let path = ''
    for (const step of this.#path)
      path = typeof step === 'number' ? `${path}[${step}]` : path === '' ? step : `${path}.${step}`
    return path
  }

  space(): void {
    const text = this.#text
    let at = this.at
    for (;;) {
      const c = text.charCodeAt(at)
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break
      at++
    }
    this.at = at
  }

  value(depth: number): unknown {
    const c = this.#text.charCodeAt(this.at)
    if (c === 34) return this.string()
    if (c === 123) return this.object(depth + 1)
    if (c === 91) return this.array(depth + 1)
    if (c === 45 || (c >= 48 && c <= 57)) return this.number()
    if (this.#text.startsWith('true', this.at)) return this.word(4, true)
    if (this.#text.startsWith('false', this.at)) return this.word(5, false)
    if (this.#text.startsWith('null', this.at)) return this.word(4, null)
    return this.fail(Number.isNaN(c) ? 'unexpected end' : 'unexpected character')
  }

  word<T>(length: number, value: T): T {
    this.at += length
    return value
  }

  object(depth: number): Record<string, unknown> {
    if (depth > this.#maxDepth)
      this.fail(`nested deeper than ${this.#maxDepth} levels`, ErrorCode.JSON_TOO_DEEP)
    this.at++
    const out: Record<string, unknown> = {}
    this.space()
    if (this.#text.charCodeAt(this.at) === 125) {
      this.at++
      return out
    }
    const path = this.#path
    for (;;) {
      if (this.#text.charCodeAt(this.at) !== 34) this.fail('expected a key in double quotes')
      const key = this.key()
      path.push(key)
      if (Object.hasOwn(out, key)) this.fail(`the key "${key}" appears twice`, ErrorCode.DUPLICATE_JSON_KEY)
      this.space()
      if (this.#text.charCodeAt(this.at) !== 58) this.fail('expected ":"')
      this.at++
      this.space()
      const value = this.value(depth)
      path.pop()
      // A plain assignment of `__proto__` would set the prototype instead of a key.
      if (key === '__proto__')
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
      else out[key] = value
      this.space()
      const next = this.#text.charCodeAt(this.at++)
      if (next === 125) return out
      if (next !== 44) this.fail('expected "," or "}"')
      this.space()
    }
  }

  array(depth: number): unknown[] {
    if (depth > this.#maxDepth)
      this.fail(`nested deeper than ${this.#maxDepth} levels`, ErrorCode.JSON_TOO_DEEP)
    this.at++
    const out: unknown[] = []
    this.space()
    if (this.#text.charCodeAt(this.at) === 93) {
      this.at++
      return out
    }
    const path = this.#path
    for (;;) {
      path.push(out.length)
      out.push(this.value(depth))
      path.pop()
      this.space()
      const next = this.#text.charCodeAt(this.at++)
      if (next === 93) return out
      if (next !== 44) this.fail('expected "," or "]"')
      this.space()
    }
  }

  /**
   * A key, reusing the same string when the text repeats a key already read (a batch names the
   * same few keys thousands of times): the object store then finds the key already interned.
   */
  key(): string {
    const text = this.#text
    const start = this.at + 1
    let end = start
    for (let c = text.charCodeAt(end); c !== 34 && c !== 92 && c >= 32; c = text.charCodeAt(++end));
    if (text.charCodeAt(end) !== 34) return this.string()
    const id = (end - start) * 65536 + text.charCodeAt(start)
    const known = this.#keys.get(id)
    this.at = end + 1
    if (known !== undefined && text.startsWith(known, start)) return known
    const key = text.slice(start, end)
    this.#keys.set(id, key)
    return key
  }

  string(): string {
    const text = this.#text
    const start = ++this.at
    let at = start
    for (;;) {
      const c = text.charCodeAt(at)
      if (c === 34) {
        this.at = at + 1
        return text.slice(start, at)
      }
      if (c === 92) break
      if (c < 32 || Number.isNaN(c))
        this.fail(Number.isNaN(c) ? 'unterminated string' : 'control character in a string')
      at++
    }
    this.at = at
    return this.#escapedString(text.slice(start, at))
  }

  #escapedString(head: string): string {
    const text = this.#text
    let out = head
    for (;;) {
      const c = text.charCodeAt(this.at)
      if (c === 34) {
        this.at++
        return out
      }
      if (c === 92) {
        const e = text[this.at + 1] ?? ''
        if (e === 'u') {
          const hex = text.slice(this.at + 2, this.at + 6)
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape')
          out += String.fromCharCode(Number.parseInt(hex, 16))
          this.at += 6
          continue
        }
        const plain = ESCAPES[e]
        if (plain === undefined) this.fail('bad escape')
        out += plain
        this.at += 2
        continue
      }
      if (c < 32 || Number.isNaN(c))
        this.fail(Number.isNaN(c) ? 'unterminated string' : 'control character in a string')
      out += text[this.at]
      this.at++
    }
  }

  number(): number | string {
    const text = this.#text
    let at = this.at
    const negative = text.charCodeAt(at) === 45
    if (negative) at++
    const first = at
    let n = 0
    let c = text.charCodeAt(at)
    for (; c >= 48 && c <= 57; c = text.charCodeAt(++at)) n = n * 10 + (c - 48)
    const digits = at - first
    // A plain integer of up to 15 digits (no leading zero) is exact as a double: the common case,
    // read without a regex or a copy.
    if (digits > 0 && digits <= 15 && c !== 46 && c !== 101 && c !== 69) {
      if (digits === 1 || text.charCodeAt(first) !== 48) {
        this.at = at
        return negative ? -n : n
      }
    }
    NUMBER.lastIndex = this.at
    const match = NUMBER.exec(this.#text)
    if (match === null) return this.fail('bad number')
    const literal = match[0]
    if (literal.length > 1024) this.fail('number longer than 1,024 characters')
    this.at += literal.length
    const value = Number(literal)
    if (literal.length <= ALWAYS_EXACT && !/[eE]/.test(literal)) return value
    return Number.isFinite(value) && new Decimal(literal).equals(value) ? value : literal
  }
}

/** Sticky: matches at `lastIndex` only, so a number is read in place rather than from a copy. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
