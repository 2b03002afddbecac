import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Storage } from '../../src/core/ports/index.js'
import { createStorage } from '../fixtures/third-party-storage.js'

type Testing = typeof import('../../src/testing/index.js')

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const { runStorageSuites } = (await import(pathToFileURL(join(root, 'dist/testing.js')).href)) as Testing

/** A fresh store in a directory of its own, and how to drop it. */
function freshStore() {
  const dir = mkdtempSync(join(tmpdir(), 'kobometer-third-party-'))
  return {
    config: { filename: join(dir, 'billing.db') },
    destroy: () => rmSync(dir, { recursive: true, force: true }),
  }
}

const stores = new Map<Storage, () => void>()

// Through the built entry, as a package author would: the children run the worker from dist and
// import the adapter module by its path.
runStorageSuites({
  name: 'third-party adapter through dist/testing.js',
  create: () => {
    const store = freshStore()
    const storage = createStorage(store.config)
    stores.set(storage, store.destroy)
    return storage
  },
  destroy: (storage) => stores.get(storage)?.(),
  suites: [],
  conformance: false,
  crossProcess: {
    module: join(root, 'test/fixtures/third-party-storage.ts'),
    execArgv: ['--import', 'tsx'],
    processes: 3,
    fresh: async () => freshStore(),
  },
})
