import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type CatalogInput, type CatalogSyncResult, createBilling } from '../../src/index.js'
import { openStorage, sqlTargets } from '../support/targets.js'
import type { CatalogTask } from './catalog-worker.js'

const workerPath = join(dirname(fileURLToPath(import.meta.url)), 'catalog-worker.ts')
const PROCESSES = 4

interface BootingProcess {
  ready: Promise<void>
  go(): void
  result: Promise<CatalogSyncResult>
}

function bootProcess(task: CatalogTask): BootingProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, JSON.stringify(task)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })
  let stdout = ''
  let stderr = ''
  let markReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => {
    markReady = resolve
  })
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (stdout.startsWith('ready\n')) markReady()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const result = new Promise<CatalogSyncResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`catalog worker exited ${code}: ${stderr.slice(-2000)}`))
      resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as CatalogSyncResult)
    })
  })
  return { ready, go: () => child.stdin?.end('go\n'), result }
}

function catalog(unitAmount: string): CatalogInput {
  return {
    meters: [
      { code: 'api_calls', event_name: 'api_call', aggregation: 'count' },
      { code: 'tokens', event_name: 'api_call', aggregation: 'sum', property: 'tokens' },
    ],
    plans: [
      {
        code: 'starter',
        name: 'Starter',
        currency: 'NGN',
        interval: 'month',
        fixed_amount: '500000',
        charges: [
          { meter: 'api_calls', model: 'per_unit', unit_amount: unitAmount },
          { meter: 'tokens', model: 'per_unit', unit_amount: '2', filters: { model: ['large'] } },
        ],
      },
      { code: 'free', name: 'Free', currency: 'NGN', interval: 'month' },
    ],
  }
}

const actions = (results: CatalogSyncResult[], kind: 'meters' | 'plans') =>
  results.flatMap((r) => r[kind].map((item) => `${item.code}:${item.action}`)).sort()

for (const target of sqlTargets) {
  describe.skipIf(target.skip)(
    `catalog.sync at boot on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      it(`${PROCESSES} processes booting together create each item once and store one version per change, without an error`, async () => {
        const store = await target.fresh()
        try {
          // Every process is booted before any syncs, so all syncs overlap.
          const boot = async (input: CatalogInput) => {
            const processes = Array.from({ length: PROCESSES }, () =>
              bootProcess({ config: store.config, catalog: input }),
            )
            await Promise.race([
              Promise.all(processes.map((p) => p.ready)),
              Promise.all(processes.map((p) => p.result)),
            ])
            for (const p of processes) p.go()
            return Promise.all(processes.map((p) => p.result))
          }
          const repeated = (line: string, n: number) => Array.from({ length: n }, () => line)

          const first = await boot(catalog('50'))
          expect(actions(first, 'meters')).toEqual([
            'api_calls:created',
            ...repeated('api_calls:unchanged', PROCESSES - 1),
            'tokens:created',
            ...repeated('tokens:unchanged', PROCESSES - 1),
          ])
          expect(actions(first, 'plans')).toEqual([
            'free:created',
            ...repeated('free:unchanged', PROCESSES - 1),
            'starter:created',
            ...repeated('starter:unchanged', PROCESSES - 1),
          ])

          const changed = await boot(catalog('60'))
          expect(actions(changed, 'plans')).toEqual([
            ...repeated('free:unchanged', PROCESSES),
            'starter:unchanged',
            'starter:unchanged',
            'starter:unchanged',
            'starter:versioned',
          ])
          expect(
            changed.flatMap((r) => r.plans).every((p) => p.version === (p.code === 'free' ? 1 : 2)),
          ).toBe(true)

          const again = await boot(catalog('60'))
          expect(actions(again, 'meters').every((a) => a.endsWith(':unchanged'))).toBe(true)
          expect(actions(again, 'plans').every((a) => a.endsWith(':unchanged'))).toBe(true)

          const billing = await createBilling({ storage: await openStorage(store.config), migrate: false })
          try {
            const starter = await billing.plans.get('starter')
            expect(starter.version).toBe(2)
            expect(starter.charges[0]).toMatchObject({ unit_amount: '60' })
            await expect(billing.plans.get('starter', 3)).rejects.toMatchObject({ code: 'NOT_FOUND' })
            expect((await billing.plans.get('free')).version).toBe(1)
            expect((await billing.meters.list()).map((m) => m.code).sort()).toEqual([
              'api_calls',
              'tokens',
              expect.stringMatching(/^tokens__f/),
            ])
          } finally {
            await billing.close()
          }
        } finally {
          await store.destroy()
        }
      }, 180_000)
    },
  )
}
