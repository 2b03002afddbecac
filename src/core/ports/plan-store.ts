import type { Plan } from '../plans/types.js'
import type { KeyPageQuery } from './storage.js'

/**
 * Plans: immutable versions under one code.
 *
 * @example
 * const versions = await storage.plans.getVersions('pro') // oldest first
 */
export interface PlanStore {
  /**
   * Stores one plan version. Concurrency: for one (code, version) exactly one call returns `true`;
   * the others `false` and change nothing.
   */
  insert(plan: Plan): Promise<boolean>
  /** Every version of a plan, oldest first; empty when there is no such plan. */
  getVersions(code: string): Promise<Plan[]>
  /** The latest version of each plan, in code order. */
  list(query: KeyPageQuery): Promise<Plan[]>
}
