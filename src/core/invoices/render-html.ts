import { invoiceView } from './render-parts.js'
import type { Invoice } from './types.js'

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('<b>"Tom" & Jerry\'s</b>') // '&lt;b&gt;&quot;Tom&quot; &amp; Jerry&#39;s&lt;/b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

const STYLE = `
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body { margin: 0; padding: 2rem; color: #1a1a1a; background: #fff;
    font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
  .invoice { max-width: 48rem; margin: 0 auto; }
  header { display: flex; justify-content: space-between; align-items: baseline;
    border-bottom: 2px solid #1a1a1a; padding-bottom: .5rem; margin-bottom: 1rem; }
  h1 { font-size: 1.5rem; margin: 0; letter-spacing: .04em; }
  .status { text-transform: uppercase; font-weight: 600; letter-spacing: .08em; color: #555; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; margin: 0 0 1.5rem; }
  dt { color: #555; }
  dd { margin: 0; }
  table { width: 100%; border-collapse: collapse; }
  th, td { padding: .35rem .5rem; text-align: left; vertical-align: top; }
  thead th { border-bottom: 1px solid #1a1a1a; font-weight: 600; }
  tbody tr.line td { border-top: 1px solid #ddd; }
  tbody tr.tier td, tbody tr.detail td { color: #555; font-size: .92em; padding-top: .1rem; padding-bottom: .1rem; }
  tbody tr.tier td:first-child, tbody tr.detail td:first-child { padding-left: 1.75rem; }
  .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
  tfoot tr:first-child th, tfoot tr:first-child td { border-top: 1px solid #1a1a1a; }
  tfoot th { text-align: right; font-weight: normal; }
  tfoot tr.strong th, tfoot tr.strong td { font-weight: 700; }
  @media print {
    @page { margin: 15mm; }
    body { padding: 0; font-size: 11pt; }
    .invoice { max-width: none; }
    tr { break-inside: avoid; }
  }
`

/**
 * Renders an invoice as a self-contained, printable HTML5 document: inline styles (with print
 * rules), no scripts and no external assets. Every string from the invoice is HTML-escaped.
 *
 * @example
 * const html = renderInvoiceHtml(invoice)
 * await writeFile('INV-000042.html', html) // open in a browser and print, or hand to a PDF renderer
 */
export function renderInvoiceHtml(invoice: Invoice): string {
  const view = invoiceView(invoice)
  const e = escapeHtml
  const details = view.details
    .map((d) => `<dt>${e(d.label)}</dt><dd>${d.values.map(e).join('<br>')}</dd>`)
    .join('\n        ')
  const rows = view.rows
    .map(
      (r) =>
        `<tr class="${r.kind}"><td>${e(r.description)}</td>` +
        `<td class="num">${e(r.quantity)}</td><td class="num">${e(r.amount)}</td></tr>`,
    )
    .join('\n        ')
  const totals = view.totals
    .map(
      (t) =>
        `<tr${t.strong ? ' class="strong"' : ''}><th colspan="2" scope="row">${e(t.label)}</th>` +
        `<td class="num">${e(t.amount)}</td></tr>`,
    )
    .join('\n        ')
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${e(view.heading)}</title>
  <style>${STYLE}</style>
</head>
<body>
  <main class="invoice">
    <header>
      <h1>${e(view.heading)}</h1>
      <span class="status">${e(view.status)}</span>
    </header>
    <dl>
        ${details}
    </dl>
    <table>
      <thead>
        <tr><th scope="col">Description</th><th scope="col" class="num">Qty</th><th scope="col" class="num">Amount</th></tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
      <tfoot>
        ${totals}
      </tfoot>
    </table>
  </main>
</body>
</html>
`
}
