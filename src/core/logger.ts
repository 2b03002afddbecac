/** Structured fields of a log entry: plain values only, never a secret. */
export type LogFields = Record<string, string | number | boolean | null | undefined>

/**
 * Where kobometer reports what it does: invoice runs, charge attempts, gateway answers, merchant
 * errors and storage retries. Messages are fixed sentences; what varies is in `fields` (ids,
 * counts, codes), never a gateway key, a connection string or a card authorization. Shaped so
 * `console`, pino and winston loggers fit as they are.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
}

/** Progress of a long call: `phase` names the step, `done` of `total` (when known) items are through. */
export interface ProgressEvent {
  phase: 'invoice_subscriptions' | 'settle_drafts' | 'collect_invoices'
  done: number
  total?: number
}

/** Receives progress events; an error it throws is logged and otherwise ignored. */
export type ProgressListener = (event: ProgressEvent) => void

const ignore = () => {}

/** The logger used when none is given: it drops everything. */
export const silentLogger: Logger = Object.freeze({
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
})

const LEVELS = ['debug', 'info', 'warn', 'error'] as const

/**
 * Wraps a host's logger so that a logger that throws never breaks billing, and checks its shape.
 * Returns null when `value` is not a logger (each of `debug`, `info`, `warn`, `error` a function).
 *
 * @example
 * const logger = safeLogger(console) ?? silentLogger
 * logger.info('invoice run finished', { created: 3 })
 */
export function safeLogger(value: unknown): Logger | null {
  if (typeof value !== 'object' || value === null) return null
  const host = value as Record<string, unknown>
  if (!LEVELS.every((level) => typeof host[level] === 'function')) return null
  const call =
    (level: (typeof LEVELS)[number]) =>
    (message: string, fields?: LogFields): void => {
      try {
        ;(host[level] as (m: string, f?: LogFields) => void).call(host, message, fields)
      } catch {
        // Logging is best effort: billing goes on.
      }
    }
  return Object.freeze({ debug: call('debug'), info: call('info'), warn: call('warn'), error: call('error') })
}

/**
 * Calls a progress listener, if any, so that one that throws never breaks the call it watches.
 *
 * @example
 * report(options.onProgress, logger, { phase: 'settle_drafts', done: 10 })
 */
export function report(listener: ProgressListener | undefined, logger: Logger, event: ProgressEvent): void {
  if (listener === undefined) return
  try {
    listener(event)
  } catch (error) {
    logger.warn('progress listener threw', { phase: event.phase, error: errorName(error) })
  }
}

/**
 * A loggable name of an error that carries no message text (messages of driver errors may quote
 * a connection string): the `code` of a `BillingError` or driver error, else its class name.
 *
 * @example
 * logger.warn('storage retry', { error: errorName(error) }) // 'SQLITE_BUSY', '40P01', 'Error'
 */
export function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code
    if (typeof code === 'string' || typeof code === 'number') return String(code)
    const name = (error as { name?: unknown }).name
    if (typeof name === 'string') return name
  }
  return typeof error
}
