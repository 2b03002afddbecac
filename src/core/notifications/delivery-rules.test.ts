import { describe, expect, it } from 'vitest'
import { retryAt } from './backoff.js'
import { notificationId } from './notify.js'
import { matchesAnyType, matchesTypes } from './type-patterns.js'

describe('delivery rules', () => {
  it('matches types exactly or by * patterns, and tells a pattern that matches nothing', () => {
    expect(matchesTypes(['usage.*'], 'usage.threshold_reached')).toBe(true)
    expect(matchesTypes(['usage.*'], 'invoice.paid')).toBe(false)
    expect(matchesTypes(['*.paid', 'payment.refunded'], 'invoice.paid')).toBe(true)
    expect(matchesTypes(['invoice.paid'], 'invoice.payment_failed')).toBe(false)
    expect(matchesTypes(['*'], 'customer.at_risk')).toBe(true)
    // A dot is a dot, not any character.
    expect(matchesTypes(['invoice.pai.'], 'invoice.paid')).toBe(false)
    expect(matchesAnyType('subscription.*')).toBe(true)
    expect(matchesAnyType('usage.thresold_reached')).toBe(false)
  })

  it('backs off exponentially from the base, capped', () => {
    expect([1, 2, 3, 4].map((n) => retryAt(1_000, n, 60_000, 600_000))).toEqual([
      61_000, 121_000, 241_000, 481_000,
    ])
    expect(retryAt(1_000, 5, 60_000, 600_000)).toBe(601_000)
    expect(retryAt(0, 500, 60_000, 600_000)).toBe(600_000)
  })

  it('derives one id per key', () => {
    expect(notificationId('invoice.paid:in_1')).toBe(notificationId('invoice.paid:in_1'))
    expect(notificationId('invoice.paid:in_1')).not.toBe(notificationId('invoice.paid:in_2'))
    expect(notificationId('invoice.paid:in_1')).toMatch(/^ntf_[A-Za-z0-9_-]{26}$/)
  })
})
