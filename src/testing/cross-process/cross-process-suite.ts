import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe } from 'vitest'
import type { Storage, StorageCapabilities } from '../../core/ports/index.js'
import type { SuiteTest } from '../ports/port-suite.js'
import type { CrossProcessOptions } from './cross-process-options.js'
import { crossProcessTests } from './cross-process-tests.js'
import { StorageProcesses } from './storage-processes.js'
import type { JsonValue } from './worker-protocol.js'

/** What the cross-process tests get: the child processes and a storage of this process, on one store. */
export interface CrossProcessContext {
  /** Resolves once every child has migrated the fresh store (all at once) and this process opened it. */
  ready(): Promise<{ processes: StorageProcesses; storage: Storage }>
  unique(label: string): string
  test: SuiteTest
}

/** Why the suite cannot run, or undefined when it runs. */
function skipReason(
  capabilities: StorageCapabilities | undefined,
  skip: string | undefined,
): string | undefined {
  if (skip !== undefined) return skip
  if (capabilities?.sharedAcrossProcesses === false)
    return 'storage.capabilities.sharedAcrossProcesses is false: the store lives in one process'
  return undefined
}

const MISSING_OPTION =
  'storage.capabilities.sharedAcrossProcesses is true, so the cross-process suite must run: pass ' +
  'crossProcess: { module, export, fresh } to runStorageSuites, where `module` (an absolute path or file URL) ' +
  'exports `export` (default "createStorage"), a function of a JSON config that opens your storage, and ' +
  '`fresh()` makes an empty store and answers { config, destroy }. Add execArgv: ["--import", "tsx"] if ' +
  'the module is TypeScript. To leave it out on purpose, name it in skipTests: { "cross-process": "<why>" }.'

/**
 * Registers the cross-process suite: it runs when the storage declares
 * `capabilities.sharedAcrossProcesses`, is skipped (reason in the title) when it declares false, and
 * fails, saying what to pass, when it declares true without `crossProcess`.
 *
 * @example
 * registerCrossProcessSuite({ capabilities, crossProcess, unique, test })
 */
export function registerCrossProcessSuite(setup: {
  capabilities: StorageCapabilities | undefined
  crossProcess: CrossProcessOptions | undefined
  skip: string | undefined
  unique(label: string): string
  test: SuiteTest
}): void {
  const reason = skipReason(setup.capabilities, setup.skip)
  const suite = reason === undefined ? describe : describe.skip
  suite(`cross-process${reason === undefined ? '' : ` (skipped: ${reason})`}`, () => {
    const options = setup.crossProcess
    let processes: StorageProcesses | undefined
    let storage: Storage | undefined
    let destroy: () => void | Promise<void> = () => {}
    let config: JsonValue = null
    let migrated: Promise<{ processes: StorageProcesses; storage: Storage }> | undefined
    const module = options === undefined ? '' : toHref(options.module)

    beforeAll(async () => {
      if (options === undefined) return
      const store = await options.fresh()
      destroy = store.destroy
      config = store.config
      const task = { module, export: options.export ?? 'createStorage', config: store.config }
      processes = await StorageProcesses.start(task, options.processes ?? 4, options.execArgv ?? [])
    }, 120_000)

    afterAll(async () => {
      await processes?.close()
      await storage?.close()
      await destroy()
    }, 120_000)

    const migrate = async (children: StorageProcesses) => {
      await children.run(() => [{ method: 'migrate' }])
      storage = await openHere(module, options?.export ?? 'createStorage', config)
      return { processes: children, storage }
    }
    crossProcessTests({
      ready: () => {
        // Each test fails with this, rather than the hook: a failed hook reports its tests as skipped.
        if (options === undefined) throw new Error(MISSING_OPTION)
        if (processes === undefined)
          throw new Error('the child processes failed to start; see the beforeAll error')
        migrated ??= migrate(processes)
        return migrated
      },
      unique: setup.unique,
      test: setup.test,
    })
  })
}

function toHref(module: string | URL): string {
  if (module instanceof URL) return module.href
  return module.startsWith('file:') ? module : pathToFileURL(module).href
}

/** Opens the store in this process too, through the same export the children use. */
async function openHere(module: string, name: string, config: JsonValue): Promise<Storage> {
  const loaded = (await import(/* @vite-ignore */ module)) as Record<string, unknown>
  const factory = loaded[name]
  if (typeof factory !== 'function') throw new Error(`${module} has no function export "${name}"`)
  return (await factory(config)) as Storage
}
