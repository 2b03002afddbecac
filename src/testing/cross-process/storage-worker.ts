// The child process of the cross-process suite. Its argument is one JSON WorkerTask: it imports the
// adapter author's module, opens a storage with the exported factory, prints {"ready":true}, then
// answers each JSON WorkerRequest line on stdin with one JSON line on stdout, making the request's
// calls in order. It closes the storage and exits when stdin ends. No top-level await: the build
// also emits this file as CommonJS.
import { createInterface } from 'node:readline'
import type { Storage } from '../../core/ports/index.js'
import { callStorage } from './storage-calls.js'
import type { WorkerMessage, WorkerRequest, WorkerTask } from './worker-protocol.js'

const send = (message: WorkerMessage) => process.stdout.write(`${JSON.stringify(message)}\n`)
const describeError = (error: unknown) =>
  error instanceof Error ? (error.stack ?? error.message) : String(error)

async function open(task: WorkerTask): Promise<Storage> {
  const loaded = (await import(task.module)) as Record<string, unknown>
  const factory = loaded[task.export]
  if (typeof factory !== 'function')
    throw new Error(
      `${task.module} has no function export "${task.export}" (exports: ${Object.keys(loaded).join(', ')})`,
    )
  return (await factory(task.config)) as Storage
}

async function main(): Promise<void> {
  const storage = await open(JSON.parse(process.argv[2] ?? '{}') as WorkerTask)
  send({ ready: true })
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue
    const request = JSON.parse(line) as WorkerRequest
    try {
      const results: unknown[] = []
      for (const call of request.calls) results.push(await callStorage(storage, call))
      send({ id: request.id, results })
    } catch (error) {
      send({ id: request.id, error: describeError(error) })
    }
  }
  await storage.close()
}

// Exits once the output is flushed: an adapter that leaves a handle open must not keep it alive.
main().then(
  () => process.stdout.write('', () => process.exit(0)),
  (error: unknown) => process.stderr.write(`${describeError(error)}\n`, () => process.exit(1)),
)
