// Escapes the two characters a quoted array element may not hold bare.
const SPECIAL = /[\\"]/
const SPECIALS = /[\\"]/g
// What JSON.stringify escapes besides `\` and `"`: control characters and surrogates (lone ones;
// paired ones are left to the slower path too). A string free of them is quoted by JSON.stringify
// exactly as an array element is: `\` and `"` escaped, natively (a JSON document, the usual
// `properties`, holds a dozen quotes).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const JSON_ESCAPED = /[\u0000-\u001f\ud800-\udfff]/

/**
 * The parameter for one column of a batch (`unnest($1::text[], …)`): the PostgreSQL array literal
 * of `values`, built in one join, exactly as `pg` would write it (every element quoted, `\` and `"`
 * escaped, `null` as NULL). `pg` builds it by concatenating element by element, which allocated
 * about 40% of everything a batched append allocates. Values that are not strings, numbers, bigints
 * or booleans (a Date, a Buffer, an object) are handed to `pg` as they are.
 *
 * @example
 * arrayParameter(['a', null, 'say "hi"']) // '{"a",NULL,"say \\"hi\\""}'
 */
export function arrayParameter(values: readonly unknown[]): string | readonly unknown[] {
  const parts = new Array<string>(values.length)
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) {
      parts[i] = 'NULL'
      continue
    }
    const type = typeof value
    if (type !== 'string' && type !== 'number' && type !== 'bigint' && type !== 'boolean') return values
    const text = type === 'string' ? (value as string) : String(value)
    if (!SPECIAL.test(text)) parts[i] = `"${text}"`
    else parts[i] = JSON_ESCAPED.test(text) ? `"${text.replace(SPECIALS, '\\$&')}"` : JSON.stringify(text)
  }
  return `{${parts.join(',')}}`
}
