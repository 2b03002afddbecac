import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { WorkerTask } from './worker.js'

const here = dirname(fileURLToPath(import.meta.url))

/** A running worker process: its acknowledged batch starts so far, and how it ended. */
export interface Worker<S = { accepted: number; duplicates: number }> {
  child: ChildProcess
  acks: number[]
  /** Resolves with the worker's summary, or rejects if it failed (not if it was killed on purpose). */
  done: Promise<S | null>
  onAck(fn: (start: number) => void): void
}

/**
 * Starts `worker.ts` (or another worker script of this folder) as a separate OS process (Node + tsx), so the store is shared by real processes.
 *
 * @example
 * const w = spawnWorker({ config, run: 'r1', from: 0, to: 1000, batch: 100 })
 * await w.done
 */
export function spawnWorker<S = { accepted: number; duplicates: number }>(
  task: WorkerTask | object,
  script = 'worker.ts',
): Worker<S> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, script), JSON.stringify(task)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  })
  const acks: number[] = []
  const listeners: Array<(start: number) => void> = []
  let stdout = ''
  let stderr = ''
  let pending = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    pending += chunk
    let nl = pending.indexOf('\n')
    while (nl >= 0) {
      const line = pending.slice(0, nl)
      pending = pending.slice(nl + 1)
      if (line.startsWith('ack ')) {
        const start = Number(line.slice(4))
        acks.push(start)
        for (const fn of listeners) fn(start)
      }
      nl = pending.indexOf('\n')
    }
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<S | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve(null)
      if (code !== 0) return reject(new Error(`worker exited with ${code}: ${stderr.slice(-2000)}`))
      const last = stdout.trim().split('\n').at(-1) ?? '{}'
      resolve(JSON.parse(last) as S)
    })
  })
  return { child, acks, done, onAck: (fn) => listeners.push(fn) }
}
