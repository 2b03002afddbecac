import { formatMoney } from '../core/money/format.js'

const number = new Intl.NumberFormat('en-NG', { maximumFractionDigits: 6 })
const when = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
})

/**
 * Money as invoices print it: `₦1,234.50` from integer minor units.
 *
 * @example
 * money(123450, 'NGN') // '₦1,234.50'
 */
export function money(minor: number | bigint, currency: string): string {
  return formatMoney(minor, currency)
}

/**
 * A quantity (a number or an exact decimal string) with grouped thousands.
 *
 * @example
 * quantity('1234567.5') // '1,234,567.5'
 */
export function quantity(value: number | string): string {
  if (typeof value === 'number') return number.format(value)
  const [whole = '0', fraction] = value.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return fraction === undefined ? grouped : `${grouped}.${fraction}`
}

/**
 * An instant for people, in UTC: `30 Nov 2026, 09:00 UTC`.
 *
 * @example
 * instant('2026-11-30T09:00:00.000Z')
 */
export function instant(iso: string | null): string {
  return iso === null ? '—' : when.format(new Date(iso))
}

/**
 * A share of a limit as a whole percentage, capped for display at 999%.
 *
 * @example
 * percent(85, 100) // 85
 */
export function percent(used: number, limit: number | null): number | null {
  if (limit === null || limit <= 0) return null
  return Math.min(999, Math.floor((used / limit) * 100))
}
