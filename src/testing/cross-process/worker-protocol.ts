import type { StorageCall } from './storage-calls.js'

/** A value that survives `JSON.stringify` and `JSON.parse` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** The child's one argument: where its storage factory is and what to pass it. */
export interface WorkerTask {
  /** A file URL of the module that exports the factory. */
  module: string
  /** The name of the export: `(config) => Storage | Promise<Storage>`. */
  export: string
  config: JsonValue
}

/** One line the parent writes to a child: calls to make in order. */
export interface WorkerRequest {
  id: number
  calls: StorageCall[]
}

/** One line a child writes: `ready` once its storage is open, then one answer per request. */
export type WorkerMessage =
  | { ready: true }
  | { id: number; results: unknown[] }
  | { id: number; error: string }
