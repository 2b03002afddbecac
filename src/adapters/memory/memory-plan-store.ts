import type { Plan } from '../../core/plans/types.js'
import type { KeyPageQuery, PlanStore } from '../../core/ports/index.js'
import { copy, page } from './documents.js'

/** The memory plans: every version of each code, oldest first. */
export class MemoryPlanStore implements PlanStore {
  readonly #versions = new Map<string, Plan[]>()

  async insert(plan: Plan): Promise<boolean> {
    const versions = this.#versions.get(plan.code) ?? []
    if (versions.some((v) => v.version === plan.version)) return false
    this.#versions.set(
      plan.code,
      [...versions, copy(plan)].sort((a, b) => a.version - b.version),
    )
    return true
  }
  async getVersions(code: string): Promise<Plan[]> {
    return (this.#versions.get(code) ?? []).map(copy)
  }
  async list(query: KeyPageQuery): Promise<Plan[]> {
    const latest = [...this.#versions.values()].map((versions) => versions[versions.length - 1]!)
    return page(latest, (p) => p.code, query)
  }
}
