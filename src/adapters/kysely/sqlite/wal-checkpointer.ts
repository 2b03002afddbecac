import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { Worker } from 'node:worker_threads'

/** A running background checkpointer; `stop()` ends its thread (and its connection). */
export interface WalCheckpointer {
  stop(): Promise<void>
}

// The worker's whole program: its own connection to the file, a passive checkpoint every
// `intervalMs` (it waits for nobody and never blocks a writer), and nothing else. It is given as
// source so it needs no file of its own in the package; better-sqlite3 is resolved by the caller.
const WORKER_SOURCE = `
const { workerData, parentPort } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.filename, { fileMustExist: true })
db.pragma('busy_timeout = 0')
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)') } catch {}
}, workerData.intervalMs)
parentPort.on('message', () => {
  clearInterval(timer)
  db.close()
  parentPort.close()
})
`

/**
 * Moves WAL checkpoints of a SQLite file off the host's thread: a worker thread with its own
 * connection runs `wal_checkpoint(PASSIVE)` every `intervalMs`, so the WAL is copied back into the
 * database file while this thread keeps committing, instead of inside one unlucky commit (the
 * auto-checkpoint every ~200 MiB of WAL, which held a commit for 150 ms and more). The worker does
 * not keep the process alive. Answers null where no worker can be started; the auto-checkpoint
 * then does the work, as before.
 *
 * @example
 * const checkpointer = startWalCheckpointer('./billing.db', 250)
 * // … on close:
 * await checkpointer?.stop()
 */
export function startWalCheckpointer(filename: string, intervalMs: number): WalCheckpointer | null {
  let worker: Worker
  try {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    // Resolved now: the worker opens the file a moment later, after the host may have changed directory.
    const path = resolve(filename)
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { filename: path, driver, intervalMs } })
  } catch {
    return null
  }
  worker.unref()
  // A worker that fails (the file went away) only stops checkpointing; the auto-checkpoint remains.
  worker.on('error', () => {})
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    stop: async () => {
      worker.postMessage('stop')
      await Promise.race([exited, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())])
      await worker.terminate()
    },
  }
}
