import type { JsonValue } from './worker-protocol.js'

/**
 * How the cross-process suite opens your storage in other OS processes. Each child process imports
 * `module`, calls its export `export` with the JSON `config` of a fresh store, and races the others
 * through the port.
 *
 * @example
 * const crossProcess: CrossProcessOptions = {
 *   module: new URL('./open-storage.js', import.meta.url),
 *   export: 'openStorage',
 *   fresh: async () => ({ config: { filename: '/tmp/x.db' }, destroy: () => rmSync('/tmp/x.db') }),
 * }
 */
export interface CrossProcessOptions {
  /** The module that opens your storage: an absolute path or a file URL. */
  module: string | URL
  /** Its export `(config) => Storage | Promise<Storage>`. Default: `createStorage`. */
  export?: string
  /** Node options for the children, e.g. `['--import', 'tsx']` when `module` is TypeScript. */
  execArgv?: readonly string[]
  /** A fresh, empty store: the JSON config every process passes to the export, and how to drop it. */
  fresh: () => Promise<{ config: JsonValue; destroy(): void | Promise<void> }>
  /** How many child processes race. Default: 4. */
  processes?: number
}
