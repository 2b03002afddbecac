import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mysqlTarget, openStorage, postgresTarget, type StoreConfig } from '../support/targets.js'
import type { CutLoadTask } from './cut-load.js'

const loadPath = join(dirname(fileURLToPath(import.meta.url)), 'cut-load.ts')
const EVENTS = 200

interface Summary {
  usage: number
  logged: number
  distinct: number
  cuts: { random: number; afterCommit: number }
  failures: Record<string, number>
  maybeCommitted: number
}

/** Runs the load in its own process, so an unheard 'error' event ends that process, not the suite. */
function runLoad(
  task: CutLoadTask,
): Promise<{ code: number | null; summary: Summary | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', loadPath, JSON.stringify(task)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000)
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer)
      const last = stdout.trim().split('\n').at(-1) ?? ''
      resolve({
        code,
        summary: code === 0 ? (JSON.parse(last) as Summary) : null,
        stderr: stderr.slice(-3000),
      })
    })
  })
}

for (const target of [postgresTarget, mysqlTarget]) {
  describe.skipIf(target.skip)(
    `connections cut by the network on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let config: StoreConfig
      let destroy: () => Promise<void>

      beforeAll(async () => {
        const store = await target.fresh()
        config = store.config
        destroy = store.destroy
        const storage = await openStorage(config)
        await storage.migrate()
        await storage.close()
      }, 60_000)
      afterAll(async () => {
        await destroy?.()
      }, 60_000)

      for (const hostPool of [false, true]) {
        it(`keeps the host up and stores every event once when connections die mid-transaction and after COMMIT (${hostPool ? "host's pool" : 'own pool'})`, async () => {
          const task: CutLoadTask =
            config.kind === 'postgres'
              ? {
                  kind: 'postgres',
                  url: config.connectionString,
                  schema: config.schema,
                  hostPool,
                  run: hostPool ? 'host' : 'own',
                  events: EVENTS,
                  callers: 6,
                  batch: 4,
                }
              : {
                  kind: 'mysql',
                  url: config.kind === 'mysql' ? config.uri : '',
                  hostPool,
                  run: hostPool ? 'host' : 'own',
                  events: EVENTS,
                  callers: 6,
                  batch: 4,
                }
          const { code, summary, stderr } = await runLoad(task)
          expect(stderr === '' ? code : `${code}: ${stderr}`).toBe(0)
          expect(summary!.cuts.random).toBeGreaterThan(0)
          expect(summary!.cuts.afterCommit).toBeGreaterThan(0)
          expect(Object.keys(summary!.failures).every((c) => c === 'STORAGE_UNAVAILABLE')).toBe(true)
          expect(summary!.distinct).toBe(EVENTS)
          expect(summary!.logged).toBe(EVENTS)
          expect(summary!.usage).toBe(EVENTS)
        }, 60_000)
      }
    },
  )
}
