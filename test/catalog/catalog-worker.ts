// A child process that boots billing on a shared store, as a host does: createBilling (with its
// migration), then catalog.sync. Argument: one JSON object (CatalogTask). Prints `ready` once booted
// and syncs when its stdin says `go`, so that all workers sync together; then prints the sync
// result as one JSON line.
import { type CatalogInput, createBilling } from '../../src/index.js'
import { openStorage, type StoreConfig } from '../support/targets.js'

export type CatalogTask = {
  config: StoreConfig
  catalog: CatalogInput
}

const task = JSON.parse(process.argv[2] ?? '{}') as CatalogTask
const billing = await createBilling({ storage: await openStorage(task.config) })
process.stdout.write('ready\n')
await new Promise((resolve) => process.stdin.once('data', resolve).once('end', resolve))
process.stdin.destroy()
const result = await billing.catalog.sync(task.catalog)
await billing.close()
process.stdout.write(`${JSON.stringify(result)}\n`)
