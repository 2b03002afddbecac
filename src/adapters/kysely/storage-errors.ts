import { BillingError, ErrorCode } from '../../core/errors.js'
import { driverCode } from './dialect-quirks.js'

// Connection strings and key=value passwords never reach a message, whatever the driver echoed.
const URL = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi
const PASSWORD = /\b(password|pwd)\s*[=:]\s*\S+/gi

/**
 * Wraps a driver failure in a `STORAGE_ERROR` that keeps the original as `cause` and never leaks a
 * connection string or password. A `BillingError` passes through unchanged.
 *
 * @example
 * try { await run() } catch (e) { throw storageFailure('postgres', 'appendEvents', e) }
 */
export function storageFailure(storage: string, operation: string, error: unknown): BillingError {
  if (error instanceof BillingError) return error
  const raw = error instanceof Error ? error.message : String(error)
  const message = raw.replace(URL, '<url>').replace(PASSWORD, '$1=<redacted>')
  const code = driverCode(error)
  const failure = new BillingError(
    ErrorCode.STORAGE_ERROR,
    `${storage} storage: ${operation} failed: ${message}`,
    {
      operation,
      ...(code === undefined ? {} : { driver_code: code }),
    },
  )
  return Object.assign(failure, { cause: error })
}

/**
 * Throws a `STORAGE_ERROR` when a condition the storage relies on does not hold.
 *
 * @example
 * storageInvariant(rows.length === 1, 'the state row is missing')
 */
export function storageInvariant(condition: boolean, message: string): asserts condition {
  if (!condition) throw new BillingError(ErrorCode.STORAGE_ERROR, message)
}
