import { fileURLToPath } from 'node:url'
import type { Storage } from '../../src/core/ports/index.js'
import { runStorageSuites } from '../../src/testing/index.js'
import { openStorage, type Target } from './targets.js'

/** This module's sibling that opens a storage from a JSON store config: what child processes import. */
const targetsModule = fileURLToPath(new URL('./targets.ts', import.meta.url))

/**
 * Runs every shipped storage suite on fresh stores of a target, the cross-process suite included:
 * its child processes open the store through `openStorage` of `targets.ts`.
 *
 * @example
 * runSuitesOn(sqliteTarget)
 */
export function runSuitesOn(target: Target): void {
  const destroys = new Map<Storage, () => Promise<void>>()
  runStorageSuites({
    name: target.name,
    ...(target.skip ? { skip: target.skip } : {}),
    create: async () => {
      const store = await target.fresh()
      const storage = await openStorage(store.config)
      destroys.set(storage, store.destroy)
      return storage
    },
    destroy: async (storage) => {
      await destroys.get(storage)?.()
      destroys.delete(storage)
    },
    crossProcess: {
      module: targetsModule,
      export: 'openStorage',
      execArgv: ['--import', 'tsx'],
      fresh: target.fresh,
    },
  })
}
