import type { MeterInput } from '../meters/types.js'
import type { PlanInput } from '../plans/types.js'

/** What `billing.catalog.sync` takes: the meters and plans the host defines in code. */
export interface CatalogInput {
  readonly meters?: readonly MeterInput[]
  /** Plans may price meters of the same catalog: meters are synced first. */
  readonly plans?: readonly PlanInput[]
}

/** What `catalog.sync` did to one meter. */
export interface MeterSyncResult {
  code: string
  /** `unchanged` also when another process created the same meter concurrently. */
  action: 'created' | 'unchanged'
}

/** What `catalog.sync` did to one plan, and the version now current. */
export interface PlanSyncResult {
  code: string
  /** `versioned`: a new version was stored; `unchanged` also when another process stored this one. */
  action: 'created' | 'versioned' | 'unchanged'
  version: number
}

/** What `billing.catalog.sync` resolves with, in the order of the input. */
export interface CatalogSyncResult {
  meters: MeterSyncResult[]
  plans: PlanSyncResult[]
}
