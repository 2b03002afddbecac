import { describe, expect, it } from 'vitest'
import { renderInvoiceHtml } from './render-html.js'
import { formatPreciseMinor, formatQuantity, invoiceView } from './render-parts.js'
import { renderInvoiceText } from './render-text.js'
import type { Invoice, InvoiceLine } from './types.js'

const tier = (up_to: number | null, units: string, unit_amount: string, amount: string) => ({
  up_to,
  units,
  unit_amount,
  flat_amount: '0',
  amount,
})

function ngnInvoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'inv_01HZX',
    number: 'INV-000042',
    customer_id: 'cus_acme',
    subscription_id: 'sub_1',
    plan_code: 'pro',
    plan_version: 3,
    currency: 'NGN',
    status: 'open',
    billing_reason: 'subscription_cycle',
    period_start: '2026-01-01T00:00:00.000Z',
    period_end: '2026-02-01T00:00:00.000Z',
    lines: [
      {
        type: 'fixed',
        description: 'Platform fee',
        amount: 500000,
        precise_amount: '500000',
        period_start: '2026-02-01T00:00:00.000Z',
        period_end: '2026-03-01T00:00:00.000Z',
      },
      {
        type: 'usage',
        description: 'API calls',
        meter: 'api_calls',
        quantity: '150000',
        amount: 4600000,
        precise_amount: '4600000',
        tiers: [
          tier(10000, '10000', '0', '0'),
          tier(100000, '90000', '40', '3600000'),
          tier(null, '50000', '20', '1000000'),
        ],
        period_start: '2026-01-01T00:00:00.000Z',
        period_end: '2026-02-01T00:00:00.000Z',
      },
      {
        type: 'tax',
        description: 'VAT (7.5%)',
        amount: 382500,
        precise_amount: '382500',
        tax_percent: '7.5',
      },
    ],
    subtotal: 5100000,
    tax: 382500,
    total: 5482500,
    amount_due: 5482500,
    created_at: '2026-02-01T00:05:00.000Z',
    updated_at: '2026-02-01T01:00:00.000Z',
    finalized_at: '2026-02-01T01:00:00.000Z',
    due_at: '2026-02-15T01:00:00.000Z',
    voided_at: null,
    amount_paid: 0,
    paid_at: null,
    attempt_count: 0,
    next_payment_attempt: null,
    timezone: 'UTC',
    customer_name: 'Acme Nigeria Ltd',
    customer_email: 'billing@acme.ng',
    ...overrides,
  }
}

const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length))

describe('renderInvoiceText', () => {
  const text = renderInvoiceText(ngnInvoice())

  it('prints the header, dates, customer and plan', () => {
    expect(text).toContain('INVOICE INV-000042')
    expect(text).toContain('OPEN')
    expect(text).toMatch(/^Issued: +2026-02-01$/m)
    expect(text).toMatch(/^Due: +2026-02-15$/m)
    expect(text).toContain('2026-01-01 → 2026-02-01')
    expect(text).toContain('Acme Nigeria Ltd')
    expect(text).toContain('billing@acme.ng')
    expect(text).toContain('cus_acme')
    expect(text).toContain('pro (version 3)')
  })

  it('prints lines, tiers and totals with exact money', () => {
    for (const s of ['₦46,000.00', '₦5,000.00', '₦36,000.00', '₦10,000.00', '₦51,000.00', '₦3,825.00']) {
      expect(text).toContain(s)
    }
    expect(text).toMatch(/^API calls +150,000 +₦46,000\.00$/m)
    expect(text).toMatch(/^ {2}up to 10,000 × ₦0\.00 +10,000 +₦0\.00$/m)
    expect(text).toMatch(/^ {2}10,001–100,000 × ₦0\.40 +90,000 +₦36,000\.00$/m)
    expect(text).toMatch(/^ {2}over 100,000 × ₦0\.20 +50,000 +₦10,000\.00$/m)
    expect(text).toMatch(/^ +VAT \(7\.5%\) +₦3,825\.00$/m)
    expect(text).toMatch(/^ +Total +₦54,825\.00$/m)
    expect(text).toMatch(/^ +Amount due +₦54,825\.00$/m)
    // A fee billed in advance shows its own service period.
    expect(text).toContain('2026-02-01 → 2026-03-01')
  })

  it('right-aligns every amount on the same column and never exceeds the width', () => {
    expect(widest(text)).toBeLessThanOrEqual(72)
    const moneyLines = text.split('\n').filter((line) => /\S {2,}₦[\d,.]+$/.test(line))
    expect(moneyLines.length).toBeGreaterThanOrEqual(9)
    for (const line of moneyLines) expect([...line].length).toBe(72)
  })

  it('wraps long descriptions and keeps alignment at narrow widths', () => {
    const long = ngnInvoice({ customer_name: `Acme ${'Very'.repeat(30)} Holdings` })
    long.lines[0] = {
      ...long.lines[0]!,
      description: 'Platform fee for the enterprise workspace, billed in advance',
    }
    for (const width of [40, 56, 72, 100]) {
      const out = renderInvoiceText(long, { width })
      expect(widest(out)).toBeLessThanOrEqual(width)
      for (const line of out.split('\n').filter((l) => /\S {2,}₦[\d,.]+$/.test(l)))
        expect([...line].length).toBe(width)
      expect(out).toContain('₦54,825.00')
    }
    expect(() => renderInvoiceText(long, { width: 20 })).toThrow(RangeError)
  })

  it('shows DRAFT for an invoice without a number, and strips control characters', () => {
    const draft = ngnInvoice({ number: null, status: 'draft', finalized_at: null, due_at: null })
    draft.lines[0] = { ...draft.lines[0]!, description: 'Fee\nwith\ttabs' }
    const out = renderInvoiceText(draft)
    expect(out).toContain('INVOICE DRAFT')
    expect(out).toMatch(/^Created: +2026-02-01$/m)
    expect(out).not.toContain('Due:')
    expect(out).toContain('Fee with tabs')
  })
})

describe('renderInvoiceHtml', () => {
  const hostile = ngnInvoice({
    customer_name: '<script>alert(1)</script> & "Sons" \'Ltd\'',
    customer_email: '"><img src=x onerror=alert(1)>@x.ng',
    plan_code: '<b>pro</b>',
  })
  const html = renderInvoiceHtml(hostile)

  it('is a self-contained HTML5 document with print styles', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html).toContain('<style>')
    expect(html).toContain('@media print')
    expect(html).not.toMatch(/<script|<link|url\(|https?:/i)
  })

  it('escapes every interpolated string', () => {
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>pro')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Sons&quot; &#39;Ltd&#39;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;@x.ng')
  })

  it('contains the same lines, tiers and totals as the text', () => {
    for (const s of [
      'INVOICE INV-000042',
      '₦46,000.00',
      '₦5,000.00',
      '₦36,000.00',
      'VAT (7.5%)',
      '₦3,825.00',
    ]) {
      expect(html).toContain(s)
    }
    expect(html).toMatch(/<th colspan="2" scope="row">Amount due<\/th><td class="num">₦54,825\.00<\/td>/)
    expect(html).toContain('10,001–100,000 × ₦0.40')
    expect(html).toContain('2026-01-01 → 2026-02-01')
    expect(renderInvoiceHtml(ngnInvoice({ number: null, status: 'draft' }))).toContain('INVOICE DRAFT')
  })
})

describe('currencies and exact amounts', () => {
  it('formats a 0-decimal currency (UGX)', () => {
    const line: InvoiceLine = {
      type: 'fixed',
      description: 'Seats',
      quantity: '3',
      amount: 150000,
      precise_amount: '150000',
    }
    const ugx = ngnInvoice({
      currency: 'UGX',
      lines: [line],
      subtotal: 150000,
      tax: 0,
      total: 150000,
      amount_due: 150000,
    })
    const text = renderInvoiceText(ugx)
    expect(text).toMatch(/^Seats +3 +USh150,000$/m)
    expect(text).toMatch(/^ +Amount due +USh150,000$/m)
    expect(renderInvoiceHtml(ugx)).toContain('USh150,000')
    expect(formatPreciseMinor('2.5', 'UGX')).toBe('USh2.5')
  })

  it('formats a 3-decimal currency (KWD)', () => {
    const usage: InvoiceLine = {
      type: 'usage',
      description: 'SMS',
      quantity: '1234.5',
      amount: 12345,
      precise_amount: '12345',
      tiers: [tier(null, '1234.5', '10', '12345')],
    }
    const kwd = ngnInvoice({
      currency: 'KWD',
      lines: [usage],
      subtotal: 12345,
      tax: 0,
      total: 12345,
      amount_due: 12345,
    })
    const text = renderInvoiceText(kwd)
    expect(text).toMatch(/^SMS +1,234\.5 +KD12\.345$/m)
    expect(text).toMatch(/^ {2}all units × KD0\.010 +1,234\.5 +KD12\.345$/m)
    expect(text).toMatch(/^ +Total +KD12\.345$/m)
  })

  it('converts fractional minor-unit prices to major units exactly', () => {
    expect(formatPreciseMinor('40', 'NGN')).toBe('₦0.40')
    expect(formatPreciseMinor('0.2', 'NGN')).toBe('₦0.002')
    expect(formatPreciseMinor('3600000', 'NGN')).toBe('₦36,000.00')
    expect(formatPreciseMinor('123456789012345678.9', 'NGN')).toBe('₦1,234,567,890,123,456.789')
    expect(formatPreciseMinor('-150', 'KWD')).toBe('-KD0.150')
    expect(formatQuantity('1234567.891')).toBe('1,234,567.891')
  })

  it('labels flat-fee blocks and fractional tier bounds', () => {
    const line: InvoiceLine = {
      type: 'usage',
      description: 'Storage',
      quantity: '12.5',
      amount: 70000,
      precise_amount: '70000',
      tiers: [
        { up_to: 10.5, units: '10.5', unit_amount: '0', flat_amount: '50000', amount: '50000' },
        { up_to: null, units: '2', unit_amount: '10000', flat_amount: '0', amount: '20000' },
      ],
    }
    const rows = invoiceView(ngnInvoice({ lines: [line] })).rows.map((r) => r.description)
    expect(rows).toEqual(['Storage', 'up to 10.5 + ₦500.00 flat', 'over 10.5 × ₦100.00'])
  })
})
