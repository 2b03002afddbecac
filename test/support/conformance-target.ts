import type { Storage } from '../../src/core/ports/index.js'
import { runStorageConformance } from '../../src/testing/index.js'
import { openStorage, type Target } from './targets.js'

/**
 * Runs the storage conformance suite on a fresh store of a target.
 *
 * @example
 * runConformanceOn(sqliteTarget)
 */
export function runConformanceOn(target: Target): void {
  let destroy: (() => Promise<void>) | undefined
  runStorageConformance({
    name: target.name,
    ...(target.skip ? { skip: target.skip } : {}),
    create: async (): Promise<Storage> => {
      const store = await target.fresh()
      destroy = store.destroy
      return openStorage(store.config)
    },
    destroy: () => destroy?.(),
  })
}
