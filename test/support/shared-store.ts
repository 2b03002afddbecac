import { afterAll, beforeAll } from 'vitest'
import { type Billing, createBilling } from '../../src/index.js'
import { openStorage, type StoreConfig, type Target } from './targets.js'

/** A fresh store of a target shared by one describe block, and a billing instance on it. */
export interface SharedStore {
  /** What a child process needs to open the same store. */
  config(): StoreConfig
  billing(): Billing
}

/**
 * Registers the hooks that create a fresh store of `target` before the block's tests and destroy it
 * after them. Call it inside `describe`.
 *
 * @example
 * const store = sharedStore(sqliteTarget)
 * it('…', async () => spawnWorker({ config: store.config(), … }))
 */
export function sharedStore(target: Target): SharedStore {
  let config: StoreConfig | undefined
  let destroy: (() => Promise<void>) | undefined
  let billing: Billing | undefined
  beforeAll(async () => {
    const store = await target.fresh()
    config = store.config
    destroy = store.destroy
    billing = await createBilling({ storage: await openStorage(config) })
  }, 120_000)
  afterAll(async () => {
    await billing?.close()
    await destroy?.()
  }, 120_000)
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the shared store was not created (its beforeAll failed)')
    return value
  }
  return { config: () => ready(config), billing: () => ready(billing) }
}
