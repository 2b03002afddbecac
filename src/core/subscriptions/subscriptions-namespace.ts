import type { BillingContext } from '../context.js'
import type { Page } from '../paging.js'
import {
  type CancelSubscriptionOptions,
  type ChangePlanOptions,
  cancelSubscription,
  changePlan,
  createSubscription,
  getSubscription,
  type ListSubscriptionsQuery,
  listSubscriptions,
} from './subscriptions-service.js'
import type { Subscription, SubscriptionInput } from './types.js'

/** `billing.subscriptions`: customers on plans, period after period. */
export interface SubscriptionsApi {
  /** Subscribes a customer to the latest version of a plan, from `start_at` (default now). */
  create(input: SubscriptionInput): Promise<Subscription>
  /** A subscription by id, or `NotFoundError`. */
  get(id: string): Promise<Subscription>
  /** Subscriptions in creation order, optionally one customer's. */
  list(query?: ListSubscriptionsQuery): Promise<Page<Subscription>>
  /** Ends a subscription now (a last invoice bills usage so far), or at the end of its period. */
  cancel(id: string, options?: CancelSubscriptionOptions): Promise<Subscription>
  /** Moves a subscription to another plan of its currency from the end of the current period. */
  changePlan(id: string, options: ChangePlanOptions): Promise<Subscription>
}

/**
 * The `subscriptions` namespace of a billing instance on `ctx`.
 *
 * @example
 * const subscriptions = subscriptionsNamespace(ctx)
 * await subscriptions.create({ customer_id: 'cus_123', plan_code: 'starter' })
 */
export function subscriptionsNamespace(ctx: BillingContext): SubscriptionsApi {
  return {
    create: (input) => createSubscription(ctx, input),
    get: (id) => getSubscription(ctx, id),
    list: (query) => listSubscriptions(ctx, query),
    cancel: (id, options) => cancelSubscription(ctx, id, options),
    changePlan: (id, options) => changePlan(ctx, id, options),
  }
}
