/**
 * Removes every echo of a secret key from text a provider or a network stack hands back: the key
 * itself, any case of it, percent-encoded in whole or in part, without its `sk_test_` /
 * `FLWSECK_TEST-` prefix, or any run of at least {@link MIN_ECHO} of its characters. Text is
 * matched through a percent-decoded, lower-cased view, so no spelling of the key gets through.
 */

/** The shortest run of the key's characters treated as an echo of it. */
export const MIN_ECHO = 8

const REDACTED = '[redacted]'

interface View {
  /** The decoded, lower-cased text. */
  text: string
  /** For each character of `text`, where it starts and ends in the original. */
  starts: number[]
  ends: number[]
}

// Percent-decodes byte by byte (a key is ASCII), keeping where each decoded character came from.
function decodedView(text: string): View {
  let out = ''
  const starts: number[] = []
  const ends: number[] = []
  for (let i = 0; i < text.length; ) {
    const hex = text[i] === '%' ? text.slice(i + 1, i + 3) : ''
    const width = /^[0-9A-Fa-f]{2}$/.test(hex) ? 3 : 1
    const char = width === 3 ? String.fromCharCode(Number.parseInt(hex, 16)) : text[i]!
    const lower = char.toLowerCase()
    // A character whose lower case is longer (İ) stays as is, so indexes keep matching the original.
    out += lower.length === 1 ? lower : char
    starts.push(i)
    ends.push(i + width)
    i += width
  }
  return { text: out, starts, ends }
}

/**
 * A scrubber for one secret: call it on any text before it leaves the module that knows the key.
 *
 * @example
 * const scrub = secretScrubber('sk_test_0123456789abcdef')
 * scrub('bad key SK_TEST_0123456789ABCDEF') // 'bad key [redacted]'
 * scrub('key=sk%5Ftest%5F0123456789abcdef') // 'key=[redacted]'
 * scrub('...456789abcd...')                 // '...[redacted]...'
 */
export function secretScrubber(secret: string): (text: string) => string {
  const key = secret.toLowerCase()
  if (key.length === 0) return (text) => text
  const min = Math.min(MIN_ECHO, key.length)
  const grams = new Set<string>()
  for (let i = 0; i + min <= key.length; i++) grams.add(key.slice(i, i + min))
  return (text) => {
    const view = decodedView(text)
    const ranges: Array<[number, number]> = []
    for (let i = 0; i + min <= view.text.length; ) {
      if (!grams.has(view.text.slice(i, i + min))) {
        i += 1
        continue
      }
      let end = i + min
      while (end < view.text.length && key.includes(view.text.slice(i, end + 1))) end += 1
      ranges.push([view.starts[i]!, view.ends[end - 1]!])
      i = end
    }
    let out = ''
    let from = 0
    for (const [start, end] of ranges) {
      out += `${text.slice(from, start)}${REDACTED}`
      from = end
    }
    return out + text.slice(from)
  }
}
