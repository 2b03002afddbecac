import { Worker } from 'node:worker_threads'

// The thread's code (CommonJS, evaluated): a connection of its own to the file, and one PASSIVE
// checkpoint per message, answered with whether it ran. It never waits for a lock (busy timeout 0):
// PASSIVE copies what no reader needs and stops.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.filename, { fileMustExist: true })
db.pragma('busy_timeout = 0')
parentPort.on('message', () => {
  let ran = true
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
  } catch {
    ran = false
  }
  parentPort.postMessage(ran)
})
`

/**
 * Checkpoints a SQLite file's WAL on a thread of its own, so the copy back into the file and its
 * two fsyncs never hold the host's event loop. Started on the first request (a storage that never
 * asks costs no thread); one checkpoint at a time, a request while one runs is dropped; the thread
 * never keeps the process alive. When the thread cannot start or fails, `request` answers false
 * from then on and the caller checkpoints itself.
 *
 * @example
 * const checkpointer = new WalCheckpointer('billing.db', require.resolve('better-sqlite3'))
 * if (!checkpointer.request()) runner.checkpoint()
 */
export class WalCheckpointer {
  readonly #filename: string
  readonly #driver: string
  #worker: Worker | null = null
  #running = false
  #failed = false

  constructor(filename: string, driver: string) {
    this.#filename = filename
    this.#driver = driver
  }

  /** Asks for a checkpoint; false when the thread is not available (closed or failed). */
  request(): boolean {
    if (this.#failed) return false
    if (this.#running) return true
    const worker = this.#worker ?? this.#start()
    if (worker === null) return false
    this.#running = true
    worker.postMessage(0)
    return true
  }

  /**
   * Stops the thread (a checkpoint under way finishes first) and resolves once it is gone, its
   * connection closed; later requests answer false.
   */
  async close(): Promise<void> {
    this.#failed = true
    const worker = this.#worker
    this.#worker = null
    if (worker !== null) await worker.terminate().catch(() => undefined)
  }

  #start(): Worker | null {
    let worker: Worker
    try {
      worker = new Worker(THREAD, {
        eval: true,
        workerData: { filename: this.#filename, driver: this.#driver },
      })
    } catch {
      this.#failed = true
      return null
    }
    worker.on('message', () => {
      this.#running = false
    })
    // A thread that dies (the file gone, the driver missing) is never restarted: the caller's own
    // checkpoints take over. Listening keeps its error from reaching the host as an uncaught one.
    worker.on('error', () => this.#stop(worker))
    worker.on('exit', () => this.#stop(worker))
    // After the listeners: a 'message' listener refs the worker's port again. A host that never
    // calls close() must still be able to exit.
    worker.unref()
    this.#worker = worker
    return worker
  }

  #stop(worker: Worker): void {
    if (this.#worker !== worker) return
    this.#worker = null
    this.#failed = true
    this.#running = false
  }
}
