import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { BillingError, ErrorCode } from '../../src/core/errors.js'
import type { PreparedEvent } from '../../src/core/events/types.js'
import { compileMeterEffects } from '../../src/core/meters/meter-effects.js'
import type { Storage } from '../../src/core/ports/index.js'
import {
  mysqlTarget,
  openStorage,
  postgresTarget,
  type StoreConfig,
  type Target,
} from '../support/targets.js'

const T0 = Date.UTC(2026, 0, 1)
const prepared = (key: string): PreparedEvent => ({
  idempotency_key: key,
  customer_id: 'cus_killed',
  event_name: 'killed_call',
  timestamp: T0,
  properties: {},
  properties_json: '{}',
  payload_hash: `hash_${key}`,
  received_at: T0,
})

/** Ends, from another session, every server connection of the store under test. */
async function terminateAll(config: StoreConfig): Promise<number> {
  if (config.kind === 'postgres') {
    const { default: pg } = await import('pg')
    const url = new URL(config.connectionString)
    url.searchParams.delete('application_name')
    const admin = new pg.Client({ connectionString: url.toString() })
    await admin.connect()
    const { rowCount } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [config.schema],
    )
    await admin.end()
    return rowCount ?? 0
  }
  if (config.kind !== 'mysql') return 0
  const mysql = await import('mysql2/promise')
  const database = new URL(config.uri).pathname.slice(1)
  const admin = await mysql.createConnection(config.uri)
  const [rows] = await admin.query(
    'SELECT id FROM information_schema.processlist WHERE db = ? AND id <> CONNECTION_ID()',
    [database],
  )
  for (const { id } of rows as Array<{ id: number }>)
    await admin.query(`KILL CONNECTION ${Number(id)}`).catch(() => {})
  await admin.end()
  return (rows as unknown[]).length
}

/** The store's config, its connections tagged so that they can be found and ended. */
function tagged(config: StoreConfig): StoreConfig {
  if (config.kind !== 'postgres') return config
  const url = new URL(config.connectionString)
  url.searchParams.set('application_name', config.schema)
  return { ...config, connectionString: url.toString() }
}

async function appendUntilStored(storage: Storage, events: PreparedEvent[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await storage.events.append(events, compileMeterEffects)
      return
    } catch (error) {
      expect(error).toBeInstanceOf(BillingError)
      expect((error as BillingError).code).toBe(ErrorCode.STORAGE_UNAVAILABLE)
      expect((error as BillingError).details.retryable).toBe(true)
      if (attempt >= 20) throw error
    }
  }
}

const targets: Target[] = [postgresTarget, mysqlTarget]
for (const target of targets) {
  describe.skipIf(target.skip)(
    `connections the server ends on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let config: StoreConfig
      let destroy: () => Promise<void>
      let storage: Storage
      const uncaught: unknown[] = []
      const record = (error: unknown) => uncaught.push(error)

      beforeAll(async () => {
        const store = await target.fresh()
        config = tagged(store.config)
        destroy = store.destroy
        storage = await openStorage(config)
        await storage.migrate()
      }, 60_000)
      afterAll(async () => {
        await storage?.close()
        await destroy?.()
      }, 60_000)
      beforeEach(() => {
        process.on('uncaughtException', record)
        process.on('unhandledRejection', record)
      })
      afterEach(() => {
        process.off('uncaughtException', record)
        process.off('unhandledRejection', record)
      })

      it('survives idle pooled connections being ended and serves the next calls on fresh ones', async () => {
        await Promise.all(Array.from({ length: 4 }, () => storage.meters.list()))
        expect(await terminateAll(config)).toBeGreaterThan(0)
        await new Promise((resolve) => setTimeout(resolve, 100))
        for (let i = 0; i < 8; i++) expect(await storage.meters.list()).toEqual([])
        await appendUntilStored(storage, [prepared('idle_1')])
        expect(uncaught).toEqual([])
      })

      it('survives connections ended mid-transaction; a retry with the same keys stores each event once', async () => {
        const events = Array.from({ length: 3000 }, (_, i) => prepared(`busy_${i}`))
        const batches = [events.slice(0, 1000), events.slice(1000, 2000), events.slice(2000)]
        const appends = batches.map((batch) => appendUntilStored(storage, batch))
        await new Promise((resolve) => setTimeout(resolve, 30))
        await terminateAll(config)
        await Promise.all(appends)
        const stored = await storage.events.list({ customer_id: 'cus_killed', limit: 10_000 })
        expect(stored.filter((e) => e.idempotency_key.startsWith('busy_'))).toHaveLength(3000)
        expect(uncaught).toEqual([])
      })
    },
  )
}
