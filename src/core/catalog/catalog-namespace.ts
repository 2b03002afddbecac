import type { BillingContext } from '../context.js'
import { syncCatalog } from './sync-catalog.js'
import type { CatalogInput, CatalogSyncResult } from './types.js'

/** `billing.catalog`: meters and plans kept as code. */
export interface CatalogApi {
  /**
   * Makes the stored meters and plans match these definitions; safe on every boot of every
   * process: creates what is missing, versions a changed plan, leaves the rest unchanged.
   */
  sync(input: CatalogInput): Promise<CatalogSyncResult>
}

/**
 * The `catalog` namespace of a billing instance on `ctx`.
 *
 * @example
 * const catalog = catalogNamespace(ctx)
 * await catalog.sync({ meters: [apiCalls], plans: [starter] })
 */
export function catalogNamespace(ctx: BillingContext): CatalogApi {
  return { sync: (input) => syncCatalog(ctx, input) }
}
