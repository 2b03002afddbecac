/**
 * Whether a string is an absolute `http:` or `https:` URL with a host: the only kind of page a
 * gateway can send a customer back to after a hosted payment.
 *
 * @example
 * isHttpUrl('https://shop.example.ng/paid') // true
 * isHttpUrl('/paid')                        // false
 * isHttpUrl('javascript:alert(1)')          // false
 */
export function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
}
