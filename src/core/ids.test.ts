import { describe, expect, it } from 'vitest'
import { newId } from './ids.js'

describe('newId', () => {
  it('sorts in creation order when the clock stands still or steps back', () => {
    const t = Date.UTC(2027, 0, 1)
    const ids = [
      ...Array.from({ length: 500 }, () => newId('pm', t)),
      ...Array.from({ length: 10 }, (_, i) => newId('pm', t - i * 1000)),
      newId('pm', t + 1),
    ]
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids[0]).toMatch(/^pm_[0-9a-z]{13}[0-9a-f]{12}$/)
  })

  it('gives every id its own random part, across refills of the random pool', () => {
    // Far more ids than one draw of random bytes serves, all in one millisecond: the time and
    // counter parts alone keep them apart, so the random parts are compared on their own.
    const t = Date.UTC(2027, 0, 1)
    const tails = Array.from({ length: 2000 }, () => newId('in', t).slice(-12))
    expect(new Set(tails).size).toBe(tails.length)
    for (const tail of tails) expect(tail).toMatch(/^[0-9a-f]{12}$/)
  })
})
