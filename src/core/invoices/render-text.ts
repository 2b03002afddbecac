import { type InvoiceRow, invoiceView } from './render-parts.js'
import type { Invoice } from './types.js'

/** Options of {@link renderInvoiceText}. */
export interface RenderTextOptions {
  /** Columns per line, at least 40. Default 72. */
  width?: number
}

const MIN_WIDTH = 40
const GAP = '  '
const LABEL_WIDTH = 12

// Lengths in code points, so `₦` or `→` count as one column (wide East Asian glyphs are not measured).
const len = (text: string): number => [...text].length
const padEnd = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - len(text)))
const padStart = (text: string, width: number): string => ' '.repeat(Math.max(0, width - len(text))) + text

/**
 * Splits text into lines at spaces, cutting words longer than a line: the first line holds at most
 * `first` columns, the others at most `rest`.
 */
function wrap(text: string, first: number, rest = first): string[] {
  const lines: string[] = []
  const limit = () => Math.max(1, lines.length === 0 ? first : rest)
  let current = ''
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const candidate = current === '' ? word : `${current} ${word}`
    if (len(candidate) <= limit()) {
      current = candidate
      continue
    }
    if (current !== '') lines.push(current)
    const chars = [...word]
    while (chars.length > limit()) lines.push(chars.splice(0, limit()).join(''))
    current = chars.join('')
  }
  if (current !== '' || lines.length === 0) lines.push(current)
  return lines
}

/** Lays out cells side by side; each cell wraps inside its column, and the row grows to fit. */
function columns(
  cells: ReadonlyArray<{ text: string; width: number; right?: boolean; indent?: number; hang?: number }>,
): string[] {
  // `indent` shifts the first line of a cell, `hang` the lines it wraps onto.
  const wrapped = cells.map(({ text, width, indent = 0, hang = indent }) =>
    wrap(text, width - indent, width - hang).map((line, i) =>
      line === '' ? '' : ' '.repeat(i === 0 ? indent : hang) + line,
    ),
  )
  const height = Math.max(...wrapped.map((lines) => lines.length))
  const out: string[] = []
  for (let i = 0; i < height; i++) {
    const parts = cells.map((cell, c) => {
      const text = wrapped[c]![i] ?? ''
      return cell.right ? padStart(text, cell.width) : padEnd(text, cell.width)
    })
    out.push(parts.join(GAP).trimEnd())
  }
  return out
}

/**
 * Renders an invoice as plain, fixed-width text for printing, email bodies or terminals: header,
 * dates, customer, plan, one table row per line (with one indented row per pricing tier), then
 * subtotal, taxes, total and amount due. No line is wider than `width`; long descriptions wrap.
 *
 * @example
 * console.log(renderInvoiceText(invoice, { width: 72 }))
 * // INVOICE INV-000042                                                  OPEN
 * // ...
 * // API calls                                   150,000         ₦46,000.00
 * //   up to 10,000 × ₦0.00                       10,000              ₦0.00
 * //   10,001–100,000 × ₦0.40                     90,000         ₦36,000.00
 * // ...
 * //                                             Amount due      ₦54,825.00
 */
export function renderInvoiceText(invoice: Invoice, options: RenderTextOptions = {}): string {
  const width = options.width ?? 72
  if (!Number.isInteger(width) || width < MIN_WIDTH) {
    throw new RangeError(`width must be an integer of at least ${MIN_WIDTH}, got ${width}`)
  }
  const view = invoiceView(invoice)
  const rule = '-'.repeat(width)
  const out: string[] = []

  const status = view.status.toUpperCase()
  const statusWidth = Math.min(len(status), Math.floor(width / 3))
  out.push(
    ...columns([
      { text: view.heading, width: width - statusWidth - GAP.length },
      { text: status, width: statusWidth, right: true },
    ]),
    rule,
  )
  for (const detail of view.details) {
    detail.values.forEach((value, i) => {
      const label = i === 0 ? `${detail.label}:` : ''
      out.push(
        ...columns([
          { text: label, width: LABEL_WIDTH - GAP.length },
          { text: value, width: width - LABEL_WIDTH },
        ]),
      )
    })
  }
  out.push('')

  const amountWidth = Math.max(len('Amount'), ...[...view.rows, ...view.totals].map((r) => len(r.amount)))
  const room = width - amountWidth - 2 * GAP.length
  const qtyWidth = Math.min(
    Math.max(len('Qty'), ...view.rows.map((r) => len(r.quantity))),
    Math.floor(room / 3),
  )
  const descWidth = room - qtyWidth
  const row = (r: Pick<InvoiceRow, 'description' | 'quantity' | 'amount'>, indent = 0) =>
    columns([
      { text: r.description, width: descWidth, indent, hang: indent === 0 ? 0 : indent + 2 },
      { text: r.quantity, width: qtyWidth, right: true },
      { text: r.amount, width: amountWidth, right: true },
    ])

  out.push(...row({ description: 'Description', quantity: 'Qty', amount: 'Amount' }), rule)
  for (const r of view.rows) out.push(...row(r, r.kind === 'line' ? 0 : 2))
  out.push(rule)

  const labelRoom = width - amountWidth - GAP.length
  const labelWidth = Math.min(labelRoom - GAP.length, Math.max(...view.totals.map((t) => len(t.label))))
  for (const total of view.totals) {
    out.push(
      ...columns([
        { text: '', width: labelRoom - labelWidth - GAP.length },
        { text: total.label, width: labelWidth },
        { text: total.amount, width: amountWidth, right: true },
      ]),
    )
  }
  return `${out.join('\n')}\n`
}
