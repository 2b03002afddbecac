/**
 * JSON parsing that keeps long numbers exact. Paystack transaction ids are 64-bit integers: past
 * 2^53 `JSON.parse` silently changes their last digits. Node 20's `JSON.parse` has no access to the
 * source text of a number, so number tokens that a double cannot hold exactly are quoted before
 * parsing and arrive as strings.
 */

// A double holds every decimal of up to 15 significant digits exactly; longer ones may be rounded.
const MAX_EXACT_DIGITS = 15
const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * Parses JSON text, returning numbers with more than 15 significant digits as their exact decimal
 * strings. Returns `undefined` when the text is not JSON (an HTML error page, an empty body).
 *
 * @example
 * parseJsonLossless('{"id":4099260516000123456,"amount":50000}') // { id: '4099260516000123456', amount: 50000 }
 * parseJsonLossless('<html>502</html>')                           // undefined
 */
export function parseJsonLossless(text: string): unknown {
  try {
    return JSON.parse(quoteLongNumbers(text))
  } catch {
    return undefined
  }
}

function quoteLongNumbers(text: string): string {
  let out = ''
  let copied = 0
  let i = 0
  let inString = false
  while (i < text.length) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === BACKSLASH) i += 2
      else {
        if (ch === QUOTE) inString = false
        i += 1
      }
      continue
    }
    if (ch === QUOTE) {
      inString = true
      i += 1
      continue
    }
    NUMBER_TOKEN.lastIndex = i
    const token = ch === 0x2d || (ch >= 0x30 && ch <= 0x39) ? NUMBER_TOKEN.exec(text)?.[0] : undefined
    if (token === undefined) {
      i += 1
      continue
    }
    if (significantDigits(token) > MAX_EXACT_DIGITS) {
      out += `${text.slice(copied, i)}"${token}"`
      copied = i + token.length
    }
    i += token.length
  }
  return copied === 0 ? text : out + text.slice(copied)
}

function significantDigits(token: string): number {
  const mantissa = token
    .replace(/^-/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
  return mantissa.replace(/^0+/, '').length
}
