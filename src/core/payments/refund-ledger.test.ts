import { describe, expect, it } from 'vitest'
import { payment as stored } from '../../testing/ports/port-fixtures.js'
import { answerRefund, refundFromWebhook, reserveRefund } from './refund-ledger.js'
import type { Payment } from './types.js'

const NOW = '2027-01-02T00:00:00.000Z'
const paid: Payment = { ...stored('py_1', 'kbm-in-1-1'), status: 'succeeded', amount: 10_000 }
const noKey = (amount?: number) => ({ amount, idempotency_key: null })

function reserved(payment: Payment, amount: number): Payment {
  const r = reserveRefund(payment, noKey(amount), NOW)
  if (r.kind !== 'reserve') throw new Error('expected a new refund')
  return r.payment
}

describe('refund ledger', () => {
  it('reserves a refund: requested, numbered after the payment, its amount held', () => {
    const next = reserved(paid, 4_000)
    expect(next).toMatchObject({
      amount_refunded: 4_000,
      refunds: [{ reference: 'kbm-in-1-1-r1', status: 'requested', id: null, amount: 4_000 }],
    })
    expect(reserveRefund(next, noKey(4_000), NOW)).toEqual({ kind: 'existing', refund: next.refunds[0] })
    expect(() => reserveRefund(next, noKey(1_000), NOW)).toThrow(
      expect.objectContaining({ code: 'REFUND_IN_PROGRESS' }),
    )
  })

  it('a whole refund asked again while it is in flight is the same refund', () => {
    const next = reserved(paid, 10_000)
    expect(reserveRefund(next, noKey(), NOW).kind).toBe('existing')
  })

  it('a webhook that beats the answer settles the refund; the late answer changes nothing', () => {
    const next = reserved(paid, 4_000)
    const failed = refundFromWebhook(next, { status: 'failed', refund_id: '77', amount: 4_000 }, NOW)
    expect(failed).toMatchObject({ amount_refunded: 0, refunds: [{ status: 'failed', id: '77' }] })
    const late = { status: 'pending', refund_id: '77', amount: 4_000 } as const
    expect(answerRefund(failed!, 'kbm-in-1-1-r1', late, NOW)).toBeNull()
    expect(
      refundFromWebhook(failed!, { status: 'succeeded', refund_id: '77', amount: 4_000 }, NOW),
    ).toBeNull()
  })

  it('an answer records the gateway id; a pending webhook after it changes nothing', () => {
    const next = reserved(paid, 4_000)
    const answered = answerRefund(
      next,
      'kbm-in-1-1-r1',
      { status: 'pending', refund_id: '9', amount: 4_000 },
      NOW,
    )
    expect(answered).toMatchObject({ amount_refunded: 4_000, refunds: [{ status: 'pending', id: '9' }] })
    expect(refundFromWebhook(answered!, { status: 'pending', refund_id: '9', amount: 4_000 }, NOW)).toBeNull()
    const done = refundFromWebhook(answered!, { status: 'succeeded', refund_id: '9', amount: 4_000 }, NOW)
    expect(done).toMatchObject({ amount_refunded: 4_000, refunds: [{ status: 'succeeded' }] })
  })

  it('a released refund gives its amount back and leaves no entry', () => {
    const next = reserved(paid, 4_000)
    expect(answerRefund(next, 'kbm-in-1-1-r1', 'release', NOW)).toMatchObject({
      amount_refunded: 0,
      refunds: [],
    })
  })

  it('a refund of an unsuccessful payment, or of more than is left, is INVALID_REFUND', () => {
    expect(() => reserveRefund({ ...paid, status: 'failed' }, noKey(), NOW)).toThrow(
      expect.objectContaining({
        code: 'INVALID_REFUND',
        details: expect.objectContaining({ path: 'payment_id' }),
      }),
    )
    expect(() => reserveRefund(paid, noKey(10_001), NOW)).toThrow(
      expect.objectContaining({
        code: 'INVALID_REFUND',
        details: expect.objectContaining({ path: 'amount' }),
      }),
    )
    expect(() => reserveRefund(paid, noKey(0.5), NOW)).toThrow(
      expect.objectContaining({ code: 'INVALID_REFUND' }),
    )
  })
})
