import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BillingError, ErrorCode } from '../../src/core/errors.js'
import type { PreparedEvent } from '../../src/core/events/types.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { Storage } from '../../src/core/ports/index.js'
import { mysqlTarget, openStorage, postgresTarget } from '../support/targets.js'

const T0 = Date.UTC(2026, 0, 1)

function prepared(key: string, timestamp = T0): PreparedEvent {
  return {
    idempotency_key: key,
    customer_id: 'cus_merged',
    event_name: 'merged_call',
    timestamp,
    properties: {},
    properties_json: '{}',
    payload_hash: `hash_${key}`,
    received_at: T0,
  }
}

// Values that reach the storage unvalidated and that the database itself refuses.
const poisons = {
  // PostgreSQL text cannot hold a NUL byte.
  postgres: () => prepared('poisoned\u0000key'),
  // A timestamp whose usage bucket overflows BIGINT: strict mode refuses the rollup row.
  mysql: () => prepared('poisoned_key', 1e20),
}

for (const target of [postgresTarget, mysqlTarget]) {
  describe.skipIf(target.skip)(
    `merged appends on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let storage: Storage
      let destroy: () => Promise<void>

      beforeAll(async () => {
        const store = await target.fresh()
        destroy = store.destroy
        storage = await openStorage(store.config)
        await storage.migrate()
        const meter = {
          code: 'merged_calls',
          name: null,
          event_name: 'merged_call',
          aggregation: 'count' as const,
          property: null,
          filters: null,
          created_at: new Date(T0).toISOString(),
        }
        await storage.meters.insert(meter, compileMeterEffects)
      }, 60_000)
      afterAll(async () => {
        await storage?.close()
        await destroy?.()
      }, 60_000)

      it('an event the database refuses fails only the call that sent it, not the calls merged with it', async () => {
        const poison = poisons[target.name as keyof typeof poisons]()
        const calls = Array.from({ length: 20 }, (_, i) =>
          storage.events.append([prepared(`ok_${i}_a`), prepared(`ok_${i}_b`)], compileMeterEffects),
        )
        calls.splice(7, 0, storage.events.append([prepared('guilty_ok'), poison], compileMeterEffects))
        const settled = await Promise.allSettled(calls)

        const guilty = settled.splice(7, 1)[0]!
        expect(guilty.status).toBe('rejected')
        const error = (guilty as PromiseRejectedResult).reason as BillingError
        expect(error).toBeInstanceOf(BillingError)
        expect(error.code).toBe(ErrorCode.STORAGE_ERROR)
        expect(error.details.retryable).toBe(false)

        for (const result of settled) {
          expect(result.status).toBe('fulfilled')
          expect((result as PromiseFulfilledResult<unknown>).value).toEqual([
            { status: 'accepted', warnings: [] },
            { status: 'accepted', warnings: [] },
          ])
        }
        const stored = await storage.events.list({ customer_id: 'cus_merged', limit: 100 })
        expect(stored.map((e) => e.idempotency_key).sort()).toEqual(
          Array.from({ length: 20 }, (_, i) => [`ok_${i}_a`, `ok_${i}_b`])
            .flat()
            .sort(),
        )
      })
    },
  )
}
