import { describe, expect, it } from 'vitest'
import { createBilling } from '../../src/index.js'
import { openStorage, sqlTargets } from '../support/targets.js'
import { spawnWorker } from './spawn-worker.js'

for (const target of sqlTargets) {
  describe.skipIf(target.skip)(
    `migrations on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      it('4 processes starting on an empty database at once all migrate and ingest', async () => {
        const store = await target.fresh()
        try {
          const workers = [0, 1, 2, 3].map((p) =>
            spawnWorker({ config: store.config, run: 'boot', from: p * 100, to: p * 100 + 200, batch: 100 }),
          )
          const summaries = await Promise.all(workers.map((w) => w.done))
          expect(summaries.reduce((n, s) => n + (s?.accepted ?? 0), 0)).toBe(500)
          const billing = await createBilling({ storage: await openStorage(store.config) })
          const page = await billing.events.list({ customer_id: 'boot_cus_0', limit: 1000 })
          expect(page.data).toHaveLength(50)
          await billing.close()
        } finally {
          await store.destroy()
        }
      }, 180_000)
    },
  )
}
