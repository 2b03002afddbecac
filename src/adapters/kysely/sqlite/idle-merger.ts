import { type MergeSlice, mergeSliceScript } from '../deferred-merge.js'
import type { SqlScript } from '../sql-script.js'
import type { StatementSet } from '../statement-set.js'

/** How the idle merger runs the slices of the merge, and the checkpoints between them. */
export interface IdleMergerOptions extends MergeSlice {
  /** Commits between two looks at the tail. */
  checkEvery: number
  /**
   * Commits after which the next look also checkpoints the WAL (`checkpoint`), once the slices are
   * done; 0: never (the connection's own automatic checkpoints only).
   */
  checkpointEvery: number
}

/** Runs one write transaction (the storage's runner). */
type Write = (script: () => SqlScript<boolean>) => Promise<boolean>

/**
 * Keeps the deferred merge and the WAL checkpoint off the requests of a host that appends one event
 * (or a few) at a time.
 * Every `checkEvery` commits it sets a timer; when the event loop gets to it (between requests,
 * never inside a caller's chain of awaits), it runs one slice of the merge (`mergeSliceScript`),
 * and the next at once while the tail is still long. Each slice is a short transaction, so no
 * request waits behind a whole merge, and the tail never reaches the bound where an append merges.
 * A host that appends back to back without yielding (a bulk import) never lets the timer run: its
 * appends merge at the bound as before. A failed slice is dropped (the bound and every read still
 * merge); timers never keep the process alive; `close()` stops it.
 *
 * Once `checkpointEvery` commits have passed, the look ends with `checkpoint` (the storage hands
 * it to its checkpoint thread, or runs a PASSIVE checkpoint itself): the pages of a few commits
 * are copied back to the file between requests, where the connection's automatic checkpoint,
 * inside whichever commit crosses its threshold, copies hundreds of megabytes at once (hundreds of
 * milliseconds). A failed checkpoint is dropped: the automatic one remains.
 *
 * @example
 * const merger = new IdleMerger((script) => runner.write(script), statementSet(sqliteQuirks), options, () => runner.checkpoint())
 * runner.afterCommit = () => merger.committed()
 */
export class IdleMerger {
  readonly #write: Write
  readonly #statements: StatementSet
  readonly #options: IdleMergerOptions
  readonly #checkpoint: () => void
  #commits = 0
  #sinceCheckpoint = 0
  #busy = false
  #closed = false
  #timer: NodeJS.Timeout | null = null

  constructor(write: Write, statements: StatementSet, options: IdleMergerOptions, checkpoint: () => void) {
    this.#write = write
    this.#statements = statements
    this.#options = options
    this.#checkpoint = checkpoint
  }

  /** Counts a commit; every `checkEvery`, schedules a look at the tail. */
  committed(): void {
    this.#sinceCheckpoint++
    if (this.#busy || this.#closed || ++this.#commits < this.#options.checkEvery) return
    this.#commits = 0
    this.#schedule()
  }

  /** Stops: a scheduled slice does not run, none is scheduled again. */
  close(): void {
    this.#closed = true
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }

  #schedule(): void {
    this.#busy = true
    this.#timer = setTimeout(this.#slice, 0)
    this.#timer.unref()
  }

  readonly #slice = (): void => {
    this.#timer = null
    if (this.#closed) return
    this.#write(() => mergeSliceScript(this.#statements, this.#options)).then(
      (more) => (more && !this.#closed ? this.#schedule() : this.#idle()),
      () => this.#idle(),
    )
  }

  // The slices are done for now: the WAL is checkpointed when enough commits have passed.
  #idle(): void {
    const every = this.#options.checkpointEvery
    if (every > 0 && this.#sinceCheckpoint >= every && !this.#closed) {
      this.#sinceCheckpoint = 0
      try {
        this.#checkpoint()
      } catch {
        // Dropped: the connection's automatic checkpoint still bounds the WAL.
      }
    }
    this.#busy = false
  }
}
