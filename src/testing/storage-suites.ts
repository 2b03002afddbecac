import { afterAll, beforeAll, describe } from 'vitest'
import type { Storage, StorageCapabilities } from '../core/ports/index.js'
import type { CrossProcessOptions } from './cross-process/cross-process-options.js'
import { registerCrossProcessSuite } from './cross-process/cross-process-suite.js'
import { portSuites } from './ports/index.js'
import type { PortSuite, PortSuiteContext } from './ports/port-suite.js'
import { registerConformance, type StorageConformanceOptions } from './storage-conformance.js'
import { SuiteRegistry } from './suite-registry.js'

/** How to run every storage suite against one storage. */
export interface StorageSuitesOptions extends StorageConformanceOptions {
  /**
   * Tests to skip, each with a one-line reason shown in its title. A key is a test id (shown in
   * brackets in each title, e.g. `invoices.finalize`), a test title (conformance tests have titles
   * only), or a suite id (`invoices`, `cross-process`, `conformance`). A key that names no test
   * fails the run.
   */
  skipTests?: Readonly<Record<string, string>>
  /** Registers tests of your own on the port suites' store, e.g. for what your storage adds. */
  additionalTests?: (ctx: PortSuiteContext) => void
  /**
   * How child processes open your storage. Required when `capabilities.sharedAcrossProcesses` is
   * true: the cross-process suite runs then, and fails asking for this option without it.
   */
  crossProcess?: CrossProcessOptions
  /** The port suites to run. Default: every sub-store's. */
  suites?: readonly PortSuite[]
  /** Whether to run the conformance suite through `createBilling` too. Default: true. */
  conformance?: boolean
}

/**
 * Registers every storage suite with vitest, one describe per run: the port suite of each sub-store
 * (on one fresh store they share), the cross-process suite (when the storage says it is shared
 * across processes), your `additionalTests`, and the conformance suite through `createBilling` (on
 * a store of its own). `create` is called once more, at collection, to read the storage's
 * `capabilities`; that storage is closed and destroyed at once.
 *
 * @example
 * import { runStorageSuites } from 'kobometer/testing'
 * import { sqliteStorage } from 'kobometer/sqlite'
 * runStorageSuites({
 *   name: 'sqlite',
 *   create: () => sqliteStorage({ filename: freshFile() }),
 *   crossProcess: { module: new URL('./open-sqlite.js', import.meta.url), fresh: freshStore },
 *   skipTests: { 'events.read-edges': 'edges are served by another service' },
 * })
 */
export function runStorageSuites(options: StorageSuitesOptions): void {
  const skipped = options.skip === undefined ? '' : ` (skipped: ${options.skip})`
  describe(`storage suites: ${options.name}${skipped}`, async () => {
    const registry = new SuiteRegistry(options.skipTests)
    let counter = 0
    const run = Math.random().toString(36).slice(2, 8)
    const unique = (label: string) => `${label}_${run}_${++counter}_`
    const capabilities = options.skip === undefined ? await readCapabilities(options) : undefined

    registerPortSuites(options, { unique, test: registry.test })
    registerCrossProcessSuite({
      capabilities,
      crossProcess: options.crossProcess,
      skip: options.skip,
      unique,
      test: registry.test,
    })
    if (options.conformance !== false) registerConformance(options, registry.titled('conformance'))
    registry.checkSkipKeys()
  })
}

/** Opens a storage only to read what it declares, then closes and drops it. */
async function readCapabilities(options: StorageSuitesOptions): Promise<StorageCapabilities> {
  const storage = await options.create()
  try {
    return { ...storage.capabilities }
  } finally {
    await storage.close()
    await options.destroy?.(storage)
  }
}

function registerPortSuites(
  options: StorageSuitesOptions,
  ctx: Pick<PortSuiteContext, 'unique' | 'test'>,
): void {
  const suites = options.suites ?? portSuites
  if (suites.length === 0 && options.additionalTests === undefined) return
  const group = options.skip === undefined ? describe : describe.skip
  group('port', () => {
    let storage: Storage | undefined
    beforeAll(async () => {
      storage = await options.create()
      await storage.migrate()
    }, 120_000)
    afterAll(async () => {
      if (storage === undefined) return
      await storage.close()
      await options.destroy?.(storage)
    }, 120_000)

    const context: PortSuiteContext = {
      ...ctx,
      storage: () => storage ?? failSetup(),
    }
    for (const suite of suites) describe(suite.title, () => suite.register(context))
    const additional = options.additionalTests
    if (additional !== undefined) describe('additional tests', () => additional(context))
  })
}

function failSetup(): never {
  throw new Error('the storage under test failed to start; see the beforeAll error')
}
