import type { NotificationRecord, Outbox } from '../../core/ports/index.js'
import { copy } from './documents.js'

/** Stores outbox records at once (no await: it shares the caller's atomic step). */
export type WriteOutbox = (records: readonly NotificationRecord[]) => void

/**
 * The records an outbox reports for `result`, copied. A store stages them before it changes
 * anything, so an outbox that throws (or a record that cannot be copied) leaves the change unmade,
 * as a rolled-back transaction would.
 *
 * @example
 * const records = stage(outbox, next) // then: this.#rows.set(id, next); write(records)
 */
export function stage<T>(outbox: Outbox<T> | undefined, result: T): NotificationRecord[] {
  return outbox === undefined ? [] : copy([...outbox(result)])
}
