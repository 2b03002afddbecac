import { periodContaining } from '../periods/index.js'
import type { SubscriptionPhase, SubscriptionRecord } from './types.js'

/** One period of a subscription: `[start, end)` on one phase; `trial` marks the free trial. */
export interface SubscriptionPeriod {
  start: number
  end: number
  phase: SubscriptionPhase
  trial: boolean
}

/** The instant the first paid period starts: the trial end, or the start. */
export function paidStart(sub: SubscriptionRecord): number {
  return sub.phases[0]!.start
}

function phaseIndexAt(sub: SubscriptionRecord, t: number): number {
  let index = 0
  for (let i = 1; i < sub.phases.length; i++) if (sub.phases[i]!.start <= t) index = i
  return index
}

/**
 * The period containing `t`: the trial before the first paid instant, else the phase's interval
 * counted from the phase start, cut short by the next phase or the subscription's end.
 *
 * @example
 * subscriptionPeriodAt(sub, Date.parse('2026-02-10')) // { start: Feb 1, end: Mar 1, phase, trial: false }
 */
export function subscriptionPeriodAt(sub: SubscriptionRecord, t: number): SubscriptionPeriod {
  const first = sub.phases[0]!
  if (t < first.start) return { start: sub.start_at, end: first.start, phase: first, trial: true }
  const index = phaseIndexAt(sub, t)
  const phase = sub.phases[index]!
  const period = periodContaining(
    {
      anchor: phase.start,
      interval: phase.interval,
      interval_count: phase.interval_count,
      timezone: sub.timezone,
    },
    t,
  )!
  let end = period.end
  const next = sub.phases[index + 1]
  if (next !== undefined && next.start < end) end = next.start
  if (sub.end_at !== null && sub.end_at > period.start && sub.end_at < end) end = sub.end_at
  return { start: period.start, end, phase, trial: false }
}

/** What the invoice at one boundary covers: usage of the period before it, the fee of the one after. */
export interface Boundary {
  at: number
  /** The paid period that ends here (its usage is billed), or null for the first invoice. */
  usage: SubscriptionPeriod | null
  /** The period that starts here (its fixed fee is billed in advance), or null at the end. */
  advance: SubscriptionPeriod | null
}

/**
 * The invoice boundary at `at`: the first paid instant, a period end, or the subscription's end.
 *
 * @example
 * boundaryAt(sub, sub.next_invoice_at!)
 */
export function boundaryAt(sub: SubscriptionRecord, at: number): Boundary {
  const usage = at > paidStart(sub) ? subscriptionPeriodAt(sub, at - 1) : null
  const advance = sub.end_at === null || at < sub.end_at ? subscriptionPeriodAt(sub, at) : null
  return { at, usage, advance }
}

/**
 * The boundary after `at`, or null when the subscription has ended there.
 *
 * @example
 * nextBoundary(sub, Date.parse('2026-02-01')) // Date.parse('2026-03-01')
 */
export function nextBoundary(sub: SubscriptionRecord, at: number): number | null {
  if (sub.end_at !== null && at >= sub.end_at) return null
  return subscriptionPeriodAt(sub, at).end
}

/**
 * The first boundary a new or changed subscription still owes an invoice for.
 *
 * @example
 * firstBoundary(sub) // the trial end, or the start
 */
export function firstBoundary(sub: SubscriptionRecord): number | null {
  const start = paidStart(sub)
  return sub.end_at !== null && sub.end_at <= start ? null : start
}
