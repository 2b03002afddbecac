import { parseAmount, parseQuantity } from '../money/amount.js'
import { getCurrency } from '../money/currencies.js'
import { Decimal } from '../money/decimal.js'
import { formatMoney } from '../money/format.js'
import type { TierBreakdown } from '../pricing/types.js'
import type { Invoice, InvoiceLine } from './types.js'

/** One row of the invoice table: a line, one tier of a line, or a line's own service period. */
export interface InvoiceRow {
  kind: 'line' | 'tier' | 'detail'
  description: string
  /** Formatted quantity, or `''`. */
  quantity: string
  /** Formatted amount, or `''`. */
  amount: string
}

/** A labelled value of the header block (`Due` → `2026-02-15`); a value may span several lines. */
export interface InvoiceDetail {
  label: string
  values: string[]
}

/** A row under the table: Subtotal, one per tax, Total, Paid (once paid), Amount due (what is left). */
export interface InvoiceTotal {
  label: string
  amount: string
  /** Total and Amount due: printed with emphasis. */
  strong: boolean
}

/** Everything a renderer prints, already formatted: renderers only lay it out. */
export interface InvoiceView {
  /** `INVOICE INV-000042`, or `INVOICE DRAFT` before finalization. */
  heading: string
  number: string
  status: string
  details: InvoiceDetail[]
  rows: InvoiceRow[]
  totals: InvoiceTotal[]
}

const TEN = new Decimal(10)
// Control characters (a newline in a description) would break a fixed-width layout.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g

/** Replaces control characters (newlines, tabs, escapes) with spaces. */
export function clean(text: string): string {
  return text.replace(CONTROL, ' ')
}

function groupWhole(digits: string): string {
  const [whole = '0', fraction] = digits.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return fraction === undefined ? grouped : `${grouped}.${fraction}`
}

/**
 * Formats an exact, possibly fractional, amount of minor units (a decimal string) in major units,
 * with at least the currency's decimals and as many more as the value needs. No float is involved.
 *
 * @example
 * formatPreciseMinor('3600000', 'NGN') // '₦36,000.00'
 * formatPreciseMinor('0.2', 'NGN')     // '₦0.002'
 */
export function formatPreciseMinor(minor: string, currency: string, path = 'amount'): string {
  const { exponent, symbol } = getCurrency(currency)
  const major = parseAmount(minor, path, { allowNegative: true }).dividedBy(TEN.pow(exponent))
  const digits = major.abs().toFixed(Math.max(exponent, major.decimalPlaces()))
  return `${major.isNegative() && !major.isZero() ? '-' : ''}${symbol}${groupWhole(digits)}`
}

/**
 * Formats an exact decimal quantity with thousands separators, keeping every decimal.
 *
 * @example
 * formatQuantity('1234567.25') // '1,234,567.25'
 */
export function formatQuantity(quantity: string | number): string {
  return groupWhole(parseQuantity(quantity).toFixed())
}

/**
 * The calendar date of an ISO timestamp in a time zone (default UTC): what the customer reads.
 *
 * @example
 * formatDate('2026-01-31T23:30:00.000Z')                 // '2026-01-31'
 * formatDate('2026-01-31T23:30:00.000Z', 'Africa/Lagos') // '2026-02-01'
 */
export function formatDate(iso: string, timezone = 'UTC'): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return clean(iso)
  // en-CA writes dates as YYYY-MM-DD; the customer's calendar date is what they expect to read.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date)
}

/** `2026-01-01 → 2026-02-01`. */
export function formatPeriod(start: string, end: string, timezone = 'UTC'): string {
  return `${formatDate(start, timezone)} → ${formatDate(end, timezone)}`
}

// The units range a tier covers: graduated tiers cover (previous up_to, up_to].
function tierRange(tier: TierBreakdown, previous: TierBreakdown | undefined): string {
  const from = tier.from ?? previous?.up_to ?? null
  if (tier.up_to === null) return from === null ? 'all units' : `over ${formatQuantity(from)}`
  if (from === null) return `up to ${formatQuantity(tier.up_to)}`
  const lower = from === null ? null : new Decimal(from)
  const start = lower?.isInteger() ? formatQuantity(lower.plus(1).toFixed()) : `over ${formatQuantity(from!)}`
  return `${start}–${formatQuantity(tier.up_to)}`
}

function tierRows(tiers: readonly TierBreakdown[], currency: string): InvoiceRow[] {
  return tiers.map((tier, i) => {
    const unit = new Decimal(tier.unit_amount)
    const flat = new Decimal(tier.flat_amount)
    let description = tierRange(tier, tiers[i - 1])
    if (!unit.isZero() || flat.isZero()) description += ` × ${formatPreciseMinor(tier.unit_amount, currency)}`
    if (!flat.isZero()) description += ` + ${formatPreciseMinor(tier.flat_amount, currency)} flat`
    return {
      kind: 'tier',
      description,
      quantity: formatQuantity(tier.units),
      amount: formatPreciseMinor(tier.amount, currency, `tiers[${i}].amount`),
    }
  })
}

function lineRows(invoice: Invoice, line: InvoiceLine): InvoiceRow[] {
  const rows: InvoiceRow[] = [
    {
      kind: 'line',
      description: clean(line.description),
      quantity: line.quantity === undefined ? '' : formatQuantity(line.quantity),
      amount: formatMoney(line.amount, invoice.currency),
    },
  ]
  const { period_start: start, period_end: end } = line
  if (start && end && (start !== invoice.period_start || end !== invoice.period_end)) {
    rows.push({
      kind: 'detail',
      description: formatPeriod(start, end, invoice.timezone),
      quantity: '',
      amount: '',
    })
  }
  if (line.tiers && line.tiers.length > 0) rows.push(...tierRows(line.tiers, invoice.currency))
  return rows
}

// A party as printed: name, address lines, tax id, then contact lines; absent parts are skipped.
function partyLines(
  name: string | null,
  address: readonly string[] | null | undefined,
  taxId: string | null | undefined,
  rest: ReadonlyArray<string | null | undefined>,
): string[] {
  const lines = [name, ...(address ?? []), taxId ? `Tax ID: ${taxId}` : null, ...rest]
  return lines.filter((v): v is string => !!v).map(clean)
}

/**
 * Formats an invoice for printing: every string and amount the text and HTML renderers show.
 *
 * @example
 * invoiceView(invoice).totals.at(-1) // { label: 'Amount due', amount: '₦54,825.00', strong: true }
 */
export function invoiceView(invoice: Invoice): InvoiceView {
  const money = (minor: number) => formatMoney(minor, invoice.currency)
  const number = clean(invoice.number ?? 'DRAFT')
  const details: InvoiceDetail[] = []
  const seller = invoice.seller ?? null
  if (seller !== null) {
    details.push({
      label: 'From',
      values: partyLines(seller.name, seller.address, seller.tax_id, [seller.email, seller.phone]),
    })
  }
  details.push(
    invoice.finalized_at === null
      ? { label: 'Created', values: [formatDate(invoice.created_at, invoice.timezone)] }
      : { label: 'Issued', values: [formatDate(invoice.finalized_at, invoice.timezone)] },
  )
  if (invoice.due_at !== null)
    details.push({ label: 'Due', values: [formatDate(invoice.due_at, invoice.timezone)] })
  if (invoice.voided_at !== null)
    details.push({ label: 'Voided', values: [formatDate(invoice.voided_at, invoice.timezone)] })
  details.push({
    label: 'Period',
    values: [formatPeriod(invoice.period_start, invoice.period_end, invoice.timezone)],
  })
  details.push({
    label: 'Billed to',
    values: partyLines(invoice.customer_name, invoice.customer_address, invoice.customer_tax_id, [
      invoice.customer_email,
      invoice.customer_id,
    ]),
  })
  details.push({ label: 'Plan', values: [`${clean(invoice.plan_code)} (version ${invoice.plan_version})`] })

  const taxes = invoice.lines.filter((line) => line.type === 'tax')
  const rows = invoice.lines.filter((line) => line.type !== 'tax').flatMap((line) => lineRows(invoice, line))
  const totals: InvoiceTotal[] = [
    { label: 'Subtotal', amount: money(invoice.subtotal), strong: false },
    ...taxes.map((tax) => ({ label: clean(tax.description), amount: money(tax.amount), strong: false })),
    { label: 'Total', amount: money(invoice.total), strong: true },
    ...(invoice.amount_paid > 0
      ? [{ label: 'Paid', amount: money(-invoice.amount_paid), strong: false }]
      : []),
    { label: 'Amount due', amount: money(invoice.amount_due - invoice.amount_paid), strong: true },
  ]
  return { heading: `INVOICE ${number}`, number, status: clean(invoice.status), details, rows, totals }
}
