import { formatMoney, type Notification } from '../src/index.js'

const number = new Intl.NumberFormat('en-NG')
const day = new Intl.DateTimeFormat('en-NG', { day: 'numeric', month: 'long', timeZone: 'Africa/Lagos' })

/** One line for a notification, as a host's handler might log it before sending an email. */
function describe(n: Notification): string {
  const d = n.data as Record<string, unknown>
  const money = (amount: unknown) => formatMoney(Number(amount), String(d.currency ?? 'NGN'))
  switch (n.type) {
    case 'usage.threshold_reached': {
      const t = d.threshold as Record<string, unknown>
      const what = 'percent' in t ? `${t.percent}%` : 'amount' in t ? money(t.amount) : String(t.quantity)
      return `${d.meter} reached ${what}: ${number.format(Number(d.used))} of ${d.limit === null ? 'no limit' : number.format(Number(d.limit))}`
    }
    case 'entitlement.exhausted':
      return `${d.meter} used up: ${number.format(Number(d.used))} of ${number.format(Number(d.limit))}`
    case 'entitlement.restored':
      return `${d.meter} restored: ${number.format(Number(d.limit))} now allowed`
    case 'customer.at_risk':
      return `${d.reason}${d.attempts === undefined ? '' : ` (${d.attempts} failed charges in a row)`}`
    default:
      return Object.entries(d)
        .filter(
          ([k, v]) =>
            ['number', 'amount_due', 'amount', 'attempt', 'next_payment_attempt', 'status'].includes(k) &&
            v !== null,
        )
        .map(([k, v]) => (k.startsWith('amount') ? `${k} ${money(v)}` : `${k} ${v}`))
        .join(', ')
  }
}

/**
 * A notifications handler that prints each notification of the given customers as it is delivered
 * (only types starting with one of `prefixes`, when given).
 *
 * @example
 * createBilling({ ..., notifications: { handler: printNotices(['cus_zuri'], ['usage.']) } })
 */
export function printNotices(
  customers: readonly string[],
  prefixes: readonly string[] = [''],
): (n: Notification) => Promise<void> {
  return async (n) => {
    if (n.customer_id === null || !customers.includes(n.customer_id)) return
    if (!prefixes.some((p) => n.type.startsWith(p))) return
    const when = day.format(new Date(n.created_at))
    console.log(`  ↳ notification ${n.type} (${n.customer_id}, ${when}): ${describe(n)}`)
  }
}
