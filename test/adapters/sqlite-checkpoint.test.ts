import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sqliteStorage } from '../../src/adapters/sqlite.js'
import { createBilling, ErrorCode } from '../../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'kobometer-checkpoint-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Ingests ~20,000 events (several MiB of pages) and answers the database file's size after `waitMs`. */
async function fileSizeAfterIngest(file: string, checkpoint: 'background' | undefined, waitMs: number) {
  const billing = await createBilling({
    storage: sqliteStorage({ filename: file }, checkpoint === undefined ? {} : { checkpoint }),
  })
  try {
    await billing.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
    const before = statSync(file).size
    for (let b = 0; b < 20; b++)
      await billing.events.ingest({
        events: Array.from({ length: 1000 }, (_, i) => ({
          event_name: 'call',
          customer_id: `cus_${(b * 1000 + i) % 997}`,
          idempotency_key: `${checkpoint ?? 'default'}-${b}-${i}`,
          properties: { path: '/v1/things'.repeat(10) },
        })),
      })
    const deadline = Date.now() + waitMs
    while (Date.now() < deadline && statSync(file).size < before + 2 * 1024 * 1024)
      await new Promise((resolve) => setTimeout(resolve, 50))
    return { before, after: statSync(file).size }
  } finally {
    await billing.close()
  }
}

describe('SQLite WAL checkpoints', () => {
  it('copies the WAL into the database file from a background thread while the host keeps running', async () => {
    const { before, after } = await fileSizeAfterIngest(join(dir, 'background.db'), 'background', 5_000)
    expect(after).toBeGreaterThan(before + 2 * 1024 * 1024)
  })

  it("leaves the WAL alone until SQLite's own auto-checkpoint by default ('inline')", async () => {
    const { before, after } = await fileSizeAfterIngest(join(dir, 'inline.db'), undefined, 1_000)
    expect(after).toBeLessThan(before + 1024 * 1024)
  })

  it('does not keep a host process alive that never closes its storage', () => {
    const file = join(dir, 'unclosed.db')
    const script = `
      import { sqliteStorage } from './src/adapters/sqlite.js'
      import { createBilling } from './src/index.js'
      const billing = await createBilling({
        storage: sqliteStorage({ filename: ${JSON.stringify(file)} }, { checkpoint: 'background' }),
      })
      await billing.meters.create({ code: 'calls', event_name: 'call', aggregation: 'count' })
      console.log('ready')
    `
    const started = Date.now()
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(child.stdout.trim()).toBe('ready')
    expect(child.status).toBe(0)
    expect(Date.now() - started).toBeLessThan(30_000)
  }, 40_000)

  it('refuses an unknown checkpoint mode', () => {
    expect(() =>
      sqliteStorage({ filename: join(dir, 'bad.db') }, { checkpoint: 'never' as 'inline' }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.INVALID_OPTIONS, details: { path: 'checkpoint' } }))
  })
})
