import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { CallResult, StorageCall } from './storage-calls.js'
import { storageWorkerFile } from './worker-file.js'
import type { WorkerMessage, WorkerRequest, WorkerTask } from './worker-protocol.js'

interface Pending {
  resolve(results: unknown[]): void
  reject(error: Error): void
}

/** One child process holding a storage: requests go in as JSON lines, answers come back likewise. */
class StorageProcess {
  readonly #child: ChildProcess
  readonly #pending = new Map<number, Pending>()
  readonly ready: Promise<void>
  readonly exited: Promise<void>
  #stderr = ''
  #next = 0

  constructor(task: WorkerTask, execArgv: readonly string[]) {
    const worker = storageWorkerFile()
    // From source the worker needs tsx; an author who loads TypeScript passes it already.
    const flags = execArgv.includes('tsx') ? execArgv : [...worker.execArgv, ...execArgv]
    this.#child = spawn(process.execPath, [...flags, worker.path, JSON.stringify(task)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    })
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000)
    })
    let markReady: () => void = () => {}
    let failReady: (error: Error) => void = () => {}
    this.ready = new Promise((resolve, reject) => {
      markReady = resolve
      failReady = reject
    })
    createInterface({ input: this.#child.stdout! }).on('line', (line) => {
      const message = parseMessage(line)
      if (message === undefined) return
      if ('ready' in message) return markReady()
      const pending = this.#pending.get(message.id)
      this.#pending.delete(message.id)
      if ('error' in message) pending?.reject(new Error(`in a child process: ${message.error}`))
      else pending?.resolve(message.results)
    })
    this.exited = new Promise((resolve) => {
      this.#child.on('error', (error) => failReady(error))
      this.#child.on('exit', (code, signal) => {
        const error = new Error(`a child process exited (${signal ?? code}): ${this.#stderr || 'no output'}`)
        failReady(error)
        for (const pending of this.#pending.values()) pending.reject(error)
        this.#pending.clear()
        resolve()
      })
    })
  }

  run(calls: StorageCall[]): Promise<unknown[]> {
    const request: WorkerRequest = { id: this.#next++, calls }
    return new Promise((resolve, reject) => {
      this.#pending.set(request.id, { resolve, reject })
      this.#child.stdin?.write(`${JSON.stringify(request)}\n`)
    })
  }

  async close(): Promise<void> {
    this.#child.stdin?.end()
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 30_000)
    await this.exited
    clearTimeout(timer)
  }
}

function parseMessage(line: string): WorkerMessage | undefined {
  try {
    return JSON.parse(line) as WorkerMessage
  } catch {
    // Anything else the adapter prints (a log line) is not for us.
    return undefined
  }
}

/**
 * Several OS processes, each with its own storage on one shared store, driven in lockstep: `run`
 * sends every process its calls at the same moment and waits for all of them.
 *
 * @example
 * const processes = await StorageProcesses.start(task, 4, [])
 * const [won] = await processes.run(() => [{ method: 'customers.insert', customer }])
 */
export class StorageProcesses {
  readonly #processes: StorageProcess[]

  private constructor(processes: StorageProcess[]) {
    this.#processes = processes
  }

  /** Starts `count` children and resolves once every one has opened its storage. */
  static async start(
    task: WorkerTask,
    count: number,
    execArgv: readonly string[],
  ): Promise<StorageProcesses> {
    const processes = Array.from({ length: count }, () => new StorageProcess(task, execArgv))
    const pool = new StorageProcesses(processes)
    try {
      await Promise.all(processes.map((p) => p.ready))
    } catch (error) {
      await pool.close()
      throw error
    }
    return pool
  }

  get count(): number {
    return this.#processes.length
  }

  /** Gives process `i` the calls `callsOf(i)`, all at once; answers per process, per call. */
  async run<C extends StorageCall>(callsOf: (index: number) => C[]): Promise<CallResult<C>[][]> {
    const running = this.#processes.map((p, i) => p.run(callsOf(i)))
    return (await Promise.all(running)) as CallResult<C>[][]
  }

  async close(): Promise<void> {
    await Promise.all(this.#processes.map((p) => p.close()))
  }
}
