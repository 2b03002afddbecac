import { describe, expect, it } from 'vitest'
import { withTax } from './totals.js'
import type { InvoiceLine } from './types.js'

const line = (amount: number): InvoiceLine => ({
  type: 'usage',
  description: 'Usage',
  amount,
  precise_amount: String(amount),
})

describe('invoice totals', () => {
  it('refuses with AMOUNT_OVERFLOW lines that each fit but add up beyond a safe integer', () => {
    const half = 5_000_000_000_000_000
    expect(() => withTax([line(half), line(half)], [], 'half_up')).toThrow(
      expect.objectContaining({ code: 'AMOUNT_OVERFLOW' }),
    )
    expect(() =>
      withTax([line(Number.MAX_SAFE_INTEGER)], [{ name: 'VAT', percent: '7.5' }], 'half_up'),
    ).toThrow(expect.objectContaining({ code: 'AMOUNT_OVERFLOW' }))
  })

  it('adds one tax line per rate on the subtotal', () => {
    expect(withTax([line(500_000)], [{ name: 'VAT', percent: '7.5' }], 'half_up')).toMatchObject({
      subtotal: 500_000,
      tax: 37_500,
      total: 537_500,
    })
  })
})
