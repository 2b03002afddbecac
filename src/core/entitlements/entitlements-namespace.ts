import type { BillingContext } from '../context.js'
import type { Page } from '../paging.js'
import { checkEntitlement, releaseReservation, reserveEntitlement } from './entitlements-service.js'
import { type NearLimitAllowance, type NearLimitInput, nearLimit } from './near-limit.js'
import type { CheckInput, EntitlementCheck, Reservation, ReservationStatus, ReserveInput } from './types.js'

/** `billing.entitlements`: may this customer make this call, and holds for work priced afterwards. */
export interface EntitlementsApi {
  /** Answers from this process's view: exact for its own ingests, within `refreshMs` of others'. */
  check(input: CheckInput): Promise<EntitlementCheck>
  /** Holds a quantity against a limit until the event naming `reservation_id` settles it. */
  reserve(input: ReserveInput): Promise<Reservation>
  /** Frees a held reservation; anything but a held one is a `ConflictError`. */
  release(id: string): Promise<{ id: string; status: ReservationStatus }>
  /** The current periods' allowances at least `ratio` (default 0.8) full, fullest first, paged. */
  nearLimit(input?: NearLimitInput): Promise<Page<NearLimitAllowance>>
}

/**
 * The `entitlements` namespace of a billing instance on `ctx`.
 *
 * @example
 * const entitlements = entitlementsNamespace(ctx)
 * const { allowed } = await entitlements.check({ customer_id: 'cus_1', meter: 'api_calls' })
 */
export function entitlementsNamespace(ctx: BillingContext): EntitlementsApi {
  return {
    check: (input) => checkEntitlement(ctx, input),
    reserve: (input) => reserveEntitlement(ctx, input),
    release: (id) => releaseReservation(ctx, id),
    nearLimit: (input) => nearLimit(ctx, input),
  }
}
