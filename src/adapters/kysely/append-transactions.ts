import { integerOption } from './integer-option.js'

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
  return integerOption(value, {
    path: 'appendTransactions',
    min: 1,
    max: 16,
    fallback: DEFAULT_APPEND_TRANSACTIONS,
  })
}
