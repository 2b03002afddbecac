import type { BillingContext } from '../context.js'
import { ConflictError, ErrorCode, NotFoundError, ValidationError } from '../errors.js'
import { newId } from '../ids.js'
import { quantityOf } from '../meters/rollup.js'
import type { Meter } from '../meters/types.js'
import { readWindow } from '../meters/usage.js'
import { Decimal } from '../money/decimal.js'
import type { AllowanceRecord, ReservationRecord } from '../ports/index.js'
import { assertCustomerId, isLookupKey } from '../text.js'
import { isoTime } from '../time/iso-time.js'
import type { CustomerEntry } from './customer-entry.js'
import type {
  CheckInput,
  EntitlementCheck,
  EntitlementReason,
  Reservation,
  ReservationStatus,
  ReserveInput,
} from './types.js'

const DEFAULT_HOLD_MS = 300_000
const MAX_HOLD_MS = 86_400_000
const MAX_QUANTITY = new Decimal('1e15')

/** A quantity for a meter: non-negative, whole for a count meter, within the number rules. */
function readQuantity(value: unknown, meter: Meter, path: string, positive: boolean): Decimal {
  let d: Decimal | undefined
  if (typeof value === 'number' && Number.isFinite(value)) d = new Decimal(value)
  else if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)) d = new Decimal(value)
  const problem =
    d === undefined
      ? 'must be a non-negative number or decimal string'
      : d.isNegative()
        ? 'must not be negative'
        : positive && d.isZero()
          ? 'must be greater than 0'
          : d.greaterThan(MAX_QUANTITY)
            ? 'must be at most 10^15'
            : meter.aggregation === 'count' && !d.isInteger()
              ? `must be a whole number: ${meter.code} counts events`
              : null
  if (problem !== null) throw new ValidationError(ErrorCode.INVALID_QUANTITY, `${path} ${problem}`, { path })
  return d!
}

function blockReason(
  entry: CustomerEntry,
  allowWithout: boolean,
): EntitlementReason | 'allowed_without' | null {
  if (entry.status === 'paused') return 'subscription_paused'
  if (entry.status === 'canceled') return 'subscription_canceled'
  if (entry.subscription === null) return allowWithout ? 'allowed_without' : 'no_subscription'
  return null
}

/** An allowance's figures, computed once per stored revision (allowances are replaced, never edited). */
interface Figures {
  limit: Decimal
  taken: Decimal
  limitN: number
  takenN: number
  remainingN: number
}

const figuresOf = new WeakMap<AllowanceRecord, Figures>()

function figures(allowance: AllowanceRecord): Figures {
  let f = figuresOf.get(allowance)
  if (f === undefined) {
    const limit = new Decimal(allowance.limit ?? 0).plus(allowance.granted)
    const taken = new Decimal(allowance.used).plus(allowance.reserved)
    const left = limit.minus(taken)
    f = {
      limit,
      taken,
      limitN: Number(limit),
      takenN: Number(taken),
      remainingN: left.isNegative() ? 0 : Number(left),
    }
    figuresOf.set(allowance, f)
  }
  return f
}

// The hot path of `check`: whole quantities against whole figures compare exactly as numbers.
function fitsIn(f: Figures, quantity: Decimal | number): boolean {
  if (typeof quantity === 'number' && Number.isSafeInteger(f.takenN) && Number.isSafeInteger(f.limitN)) {
    const after = f.takenN + quantity
    if (Number.isSafeInteger(after)) return after <= f.limitN
  }
  return f.taken.plus(quantity).lessThanOrEqualTo(f.limit)
}

/** A period's standing of one meter for one customer, as `check` reports it. */
function standing(
  entry: CustomerEntry,
  meter: Meter,
  quantity: Decimal | number,
  allowWithout: boolean,
): EntitlementCheck {
  const blocked = blockReason(entry, allowWithout)
  const allowance = entry.allowances.get(meter.code)
  if (allowance === undefined || allowance.limit === null) {
    // Without a limit: the usage an alert's allowance counts exactly, else as last read.
    const used = Number(allowance?.used ?? entry.usage.get(meter.code) ?? 0)
    const reason = blocked === 'allowed_without' ? 'no_subscription' : blocked
    const allowed = blocked === null || blocked === 'allowed_without'
    return answer(entry, meter, allowed, reason, used, null, null, false)
  }
  const f = figures(allowance)
  const fits = !allowance.enforce || fitsIn(f, quantity)
  const reason = blocked !== null && blocked !== 'allowed_without' ? blocked : fits ? null : 'limit_reached'
  return answer(entry, meter, reason === null, reason, f.takenN, f.limitN, f.remainingN, allowance.enforce)
}

// One shape for every answer (a literal, not spreads: `check` is called per request).
function answer(
  entry: CustomerEntry,
  meter: Meter,
  allowed: boolean,
  reason: EntitlementReason | null,
  used: number,
  limit: number | null,
  remaining: number | null,
  enforced: boolean,
): EntitlementCheck {
  return {
    customer_id: entry.customer_id,
    meter: meter.code,
    allowed,
    reason,
    used,
    limit,
    remaining,
    enforced,
    period_start: entry.periodIso?.start ?? null,
    period_end: entry.periodIso?.end ?? null,
  }
}

// A meter's period usage when it has no allowance to count it: read once, then by the refresh.
async function unlimitedUsage(ctx: BillingContext, entry: CustomerEntry, meter: Meter): Promise<void> {
  if (entry.period === null || entry.allowances.has(meter.code) || entry.usage.has(meter.code)) return
  const state = await readWindow(ctx, meter, entry.customer_id, entry.period.start, entry.period.end)
  entry.usage.set(meter.code, quantityOf(meter.aggregation, state))
}

/**
 * `billing.entitlements.check`: whether a customer may use `quantity` more of a meter now, from
 * this process's view (no storage round trip once the customer is loaded).
 *
 * @example
 * await checkEntitlement(ctx, { customer_id: 'cus_1', meter: 'api_calls' })
 * // { allowed: true, reason: null, used: 1200, limit: 200000, remaining: 198800, ... }
 */
export async function checkEntitlement(ctx: BillingContext, input: CheckInput): Promise<EntitlementCheck> {
  assertCustomerId(input?.customer_id)
  const view = ctx.entitlements
  // The hot path touches no promise: the meter and the customer are already in this process's view.
  const meter = view.knownMeter(input.meter) ?? (await view.meter(ctx, input.meter))
  const raw = input.quantity
  const quantity =
    raw === undefined
      ? 1
      : typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0
        ? raw
        : readQuantity(raw, meter, 'quantity', false)
  const entry = view.freshEntry(ctx, input.customer_id) ?? (await view.entry(ctx, input.customer_id))
  entry.checkedAt = Date.now()
  if (!entry.allowances.has(meter.code) && !entry.usage.has(meter.code))
    await unlimitedUsage(ctx, entry, meter)
  return standing(entry, meter, quantity, view.settings.allowWithoutSubscription)
}

function reservationStatus(r: ReservationRecord, now: number): ReservationStatus {
  return r.status === 'held' && r.expires_at <= now ? 'expired' : r.status
}

/**
 * `billing.entitlements.reserve`: holds a quantity against a limited meter's allowance, atomically
 * with every other reserve and ingest; refused (`allowed: false`) when it does not fit.
 *
 * @example
 * const r = await reserveEntitlement(ctx, { customer_id: 'cus_1', meter: 'tokens', quantity: 4000, idempotency_key: 'req_9' })
 */
export async function reserveEntitlement(ctx: BillingContext, input: ReserveInput): Promise<Reservation> {
  assertCustomerId(input?.customer_id)
  const meter = await ctx.entitlements.meter(ctx, input.meter)
  const quantity = readQuantity(input.quantity, meter, 'quantity', true)
  const key = input.idempotency_key
  if (!isLookupKey(key) || key.length > 255) {
    throw new ValidationError(
      ErrorCode.INVALID_IDEMPOTENCY_KEY,
      'idempotency_key must be a string of 1 to 255 characters',
      {
        path: 'idempotency_key',
      },
    )
  }
  const holdMs = input.expires_in_ms ?? DEFAULT_HOLD_MS
  if (!Number.isSafeInteger(holdMs) || holdMs < 1 || holdMs > MAX_HOLD_MS) {
    throw new ValidationError(
      ErrorCode.VALIDATION_ERROR,
      `expires_in_ms must be an integer from 1 to ${MAX_HOLD_MS}`,
      {
        path: 'expires_in_ms',
      },
    )
  }
  const view = ctx.entitlements
  const entry = await view.entry(ctx, input.customer_id)
  const now = ctx.now()
  const base = {
    customer_id: input.customer_id,
    meter: meter.code,
    idempotency_key: key,
    quantity: Number(quantity),
  }
  const blocked = blockReason(entry, view.settings.allowWithoutSubscription)
  const allowance = entry.allowances.get(meter.code)
  if (allowance === undefined || (blocked !== null && blocked !== 'allowed_without')) {
    if (allowance === undefined && blocked === null) {
      throw new ValidationError(
        ErrorCode.INVALID_LIMIT,
        `meter ${meter.code} has no limit on this customer's plan this period: there is nothing to reserve against`,
        { path: 'meter' },
      )
    }
    const refused = standing(entry, meter, quantity, view.settings.allowWithoutSubscription)
    return { ...base, ...refused, allowed: false, id: null, status: null, expires_at: null }
  }
  const outcome = await ctx.storage.entitlements.reserve(
    {
      id: newId('rsv', now),
      idempotency_key: key,
      customer_id: input.customer_id,
      meter: meter.code,
      period_start: allowance.period_start,
      quantity: quantity.toFixed(),
      status: 'held',
      expires_at: now + holdMs,
      created_at: now,
      settled_by: null,
      settled_quantity: null,
    },
    now,
  )
  view.absorb([outcome.allowance])
  const after = standing(entry, meter, 0, view.settings.allowWithoutSubscription)
  const r = outcome.reservation
  if (r === null)
    return {
      ...base,
      ...after,
      allowed: false,
      reason: 'limit_reached',
      id: null,
      status: null,
      expires_at: null,
    }
  return {
    ...base,
    ...after,
    allowed: true,
    reason: null,
    id: r.id,
    quantity: Number(r.quantity),
    status: reservationStatus(r, now),
    expires_at: isoTime(r.expires_at),
  }
}

/**
 * `billing.entitlements.release`: frees a held reservation's quantity. Releasing one that is no
 * longer held (settled, released, expired) is a `ConflictError` and changes nothing.
 *
 * @example
 * await releaseReservation(ctx, r.id)
 */
export async function releaseReservation(
  ctx: BillingContext,
  id: string,
): Promise<{ id: string; status: ReservationStatus }> {
  const notFound = () =>
    new NotFoundError(`reservation ${String(id)} does not exist`, { id: String(id), resource: 'reservation' })
  if (!isLookupKey(id)) throw notFound()
  const now = ctx.now()
  const result = await ctx.storage.entitlements.release(id, now)
  if (result === null) throw notFound()
  const { reservation, changed } = result
  const status = reservationStatus(reservation, now)
  if (!changed || status !== 'released') {
    throw new ConflictError(
      `reservation ${id} is ${status}: only a held reservation can be released`,
      { id, resource: 'reservation', status },
      status === 'expired' ? ErrorCode.RESERVATION_EXPIRED : ErrorCode.RESERVATION_NOT_HELD,
    )
  }
  const allowances = await ctx.storage.entitlements.read(
    [{ customer_id: reservation.customer_id, meter: reservation.meter }],
    reservation.period_start,
  )
  ctx.entitlements.absorb(allowances as AllowanceRecord[])
  return { id, status }
}
