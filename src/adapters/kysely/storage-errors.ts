import { BillingError, ErrorCode } from '../../core/errors.js'
import { InterruptedTransaction, isConnectionFailure } from './connection-failures.js'
import { driverCode } from './dialect-quirks.js'
import { redact, sanitizedError } from './secret-redaction.js'

/**
 * Wraps a driver failure in a `BillingError` that never leaks a connection string or password:
 * the message is redacted and `cause` is a sanitized copy of the driver's error. A lost or refused
 * connection is `STORAGE_UNAVAILABLE` (`details.retryable: true`; `details.may_have_committed` when
 * the connection failed after COMMIT was sent); anything else is `STORAGE_ERROR`. A `BillingError`
 * passes through unchanged.
 *
 * @example
 * try { await run() } catch (e) { throw storageFailure('postgres', 'events.append', e, ['S3cret']) }
 */
export function storageFailure(
  storage: string,
  operation: string,
  error: unknown,
  secrets: readonly string[] = [],
): BillingError {
  if (error instanceof BillingError) return error
  const interrupted = error instanceof InterruptedTransaction ? error : null
  const original = interrupted === null ? error : interrupted.cause
  const raw = original instanceof Error ? original.message : String(original)
  const message = redact(raw, secrets)
  const code = failureCode(original)
  const driver = code === undefined ? {} : { driver_code: code }
  const cause = sanitizedError(original, secrets)
  if (interrupted !== null || isConnectionFailure(original)) {
    const maybeCommitted = interrupted?.maybeCommitted ?? false
    const outcome = maybeCommitted
      ? 'the connection was lost after COMMIT was sent, so the write may have committed; retrying with the same idempotency keys is safe and answers duplicate for what was stored'
      : interrupted !== null
        ? 'the transaction was rolled back; retry'
        : 'retry'
    const failure = new BillingError(
      ErrorCode.STORAGE_UNAVAILABLE,
      `${storage} storage: ${operation} failed: database connection unavailable (${message}); ${outcome}`,
      { operation, retryable: true, may_have_committed: maybeCommitted, ...driver },
    )
    return Object.assign(failure, { cause })
  }
  const failure = new BillingError(
    ErrorCode.STORAGE_ERROR,
    `${storage} storage: ${operation} failed: ${message}`,
    {
      operation,
      retryable: false,
      ...driver,
    },
  )
  return Object.assign(failure, { cause })
}

// A network error's name (ECONNRESET) says more than its negative errno.
function failureCode(error: unknown): string | number | undefined {
  const code = driverCode(error)
  const name = (error as { code?: unknown } | null)?.code
  return typeof code === 'number' && code < 0 && typeof name === 'string' ? name : code
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
