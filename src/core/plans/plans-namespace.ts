import type { BillingContext } from '../context.js'
import type { ListQuery, Page } from '../paging.js'
import { createPlan, getPlan, listPlans, updatePlan } from './plans-service.js'
import type { Plan, PlanInput, PlanUpdate } from './types.js'

/** `billing.plans`: versioned price lists. */
export interface PlansApi {
  /** Version 1 of a plan; its charges must name existing meters. A code already taken → `ConflictError`. */
  create(input: PlanInput): Promise<Plan>
  /** Stores a new version; subscriptions move to it at their next period start. */
  update(code: string, update: PlanUpdate): Promise<Plan>
  /** The latest version, or the one asked for. */
  get(code: string, version?: number): Promise<Plan>
  /** The latest version of every plan, in code order. */
  list(query?: ListQuery): Promise<Page<Plan>>
}

/**
 * The `plans` namespace of a billing instance on `ctx`.
 *
 * @example
 * const plans = plansNamespace(ctx)
 * const latest = await plans.get('starter')
 */
export function plansNamespace(ctx: BillingContext): PlansApi {
  return {
    create: (input) => createPlan(ctx, input),
    update: (code, update) => updatePlan(ctx, code, update),
    get: (code, version) => getPlan(ctx, code, version),
    list: (query) => listPlans(ctx, query),
  }
}
