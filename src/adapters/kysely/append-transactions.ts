import { ErrorCode, ValidationError } from '../../core/errors.js'

/** Merged append transactions a process runs at once on PostgreSQL and MySQL, unless told. */
export const DEFAULT_APPEND_TRANSACTIONS = 4

/**
 * The `appendTransactions` storage option: how many merged append transactions one process runs
 * at once (each on its own pooled connection), 1 to 16, default 4. An invalid value is a
 * `ValidationError` (`INVALID_OPTIONS`, path `appendTransactions`).
 *
 * @example
 * appendTransactions(undefined) // 4
 * appendTransactions(1)         // 1: one transaction at a time, for a small pool
 */
export function appendTransactions(value: unknown): number {
  if (value === undefined) return DEFAULT_APPEND_TRANSACTIONS
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 16)
    throw new ValidationError(
      ErrorCode.INVALID_OPTIONS,
      'appendTransactions must be an integer from 1 to 16',
      {
        path: 'appendTransactions',
      },
    )
  return value
}
