import type { Plan } from '../../../core/plans/types.js'
import type { KeyPageQuery, PlanStore } from '../../../core/ports/index.js'
import type { SqlStoreParts } from './sql-store-parts.js'

/**
 * The SQL plans: one JSON document per (code, version); insert skips a taken version.
 *
 * @example
 * const versions = await new SqlPlanStore(parts).getVersions('pro')
 */
export class SqlPlanStore implements PlanStore {
  readonly #parts: SqlStoreParts

  constructor(parts: SqlStoreParts) {
    this.#parts = parts
  }

  insert(plan: Plan): Promise<boolean> {
    return this.#parts.ops.changed(this.#parts.sql.plans.insert(plan))
  }
  getVersions(code: string): Promise<Plan[]> {
    return this.#parts.ops.all<Plan>(this.#parts.sql.plans.versions(code))
  }
  list(query: KeyPageQuery): Promise<Plan[]> {
    return this.#parts.ops.all<Plan>(this.#parts.sql.plans.latestPage(query))
  }
}
