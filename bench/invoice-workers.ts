// Runs one invoice run split over worker processes (shards 0 … n-1 of n, or one unsharded worker)
// and times it from the common start to the last worker's finish.
import { execFile } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { WorkerReport, WorkerTask } from './invoice-worker-child.js'

const child = join(dirname(fileURLToPath(import.meta.url)), 'invoice-worker-child.ts')
const run = promisify(execFile)

/** Time the workers need to open their stores before the common start. */
const STARTUP_MS = 3_000

/**
 * Seconds `workers` processes take to finish one run of `store` together at `runAt` (one worker:
 * unsharded), and how many invoices they finalized in all.
 *
 * @example
 * const { seconds, finalized } = await timeWorkers({ postgres_schema: schema }, 2, runAt(0))
 */
export async function timeWorkers(
  store: WorkerTask['store'],
  workers: number,
  runAt: number,
): Promise<{ seconds: number; finalized: number }> {
  const startAt = Date.now() + STARTUP_MS
  const tasks: WorkerTask[] = Array.from({ length: workers }, (_, index) => ({
    store,
    startAt,
    runAt,
    ...(workers > 1 ? { shard: { index, count: workers } } : {}),
  }))
  const reports = await Promise.all(
    tasks.map(async (task) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', child, JSON.stringify(task)], {
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
        maxBuffer: 1 << 20,
      })
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as WorkerReport
    }),
  )
  const started = Math.min(...reports.map((r) => r.started))
  const finished = Math.max(...reports.map((r) => r.finished))
  return { seconds: (finished - started) / 1000, finalized: reports.reduce((n, r) => n + r.finalized, 0) }
}
