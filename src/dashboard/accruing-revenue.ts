import type { Billing } from '../core/billing.js'
import type { Logger } from '../core/logger.js'

/** The accruing revenue of every live subscription, per currency, as of one pass. */
export interface AccruingSnapshot {
  /** When the pass that made this snapshot started (epoch ms, the dashboard's clock). */
  asOf: number
  /** Upcoming invoice totals summed per currency, in minor units (exact). */
  byCurrency: ReadonlyMap<string, bigint>
  /** Subscriptions whose upcoming invoice was summed. */
  subscriptions: number
  /** Subscriptions whose preview failed (left out of the sums; logged). */
  failed: number
}

/** How an {@link AccruingRevenue} reads and how often it reads again. */
export interface AccruingRevenueOptions {
  /** A snapshot older than this is refreshed in the background when next asked for (default 60 s). */
  refreshMs?: number
  /** How long the first ask waits for the first pass before answering "not yet" (default 300 ms). */
  firstWaitMs?: number
  /**
   * Subscriptions read per page (default 100). After each preview the pass pauses as long as the
   * preview took, so it never holds more than half of the host's thread.
   */
  pageSize?: number
  now: () => number
  logger: Logger
}

/** Lets the event loop run: for `ms` when given (at least one turn), else for one turn. */
const pause = (ms: number) =>
  new Promise<void>((resolve) => (ms >= 1 ? setTimeout(resolve, ms) : setImmediate(resolve)))

/**
 * What this period's open subscriptions have accrued so far: the sum, per currency, of every
 * subscription's upcoming invoice (`billing.invoices.preview`, the same figure a customer's page
 * shows), computed by a background pass over the subscriptions a page at a time. One pass runs at
 * a time; the overview shows the latest snapshot and when it was taken, and asking for a snapshot
 * older than `refreshMs` starts the next pass. Exact: minor units summed as big integers.
 *
 * @example
 * const accruing = new AccruingRevenue(billing, { now: Date.now, logger })
 * const snapshot = await accruing.latest() // null while the first pass is still running
 */
export class AccruingRevenue {
  readonly #billing: Billing
  readonly #refreshMs: number
  readonly #firstWaitMs: number
  readonly #pageSize: number
  readonly #now: () => number
  readonly #logger: Logger
  #snapshot: AccruingSnapshot | null = null
  #pass: Promise<void> | null = null
  #closed = false

  constructor(billing: Billing, options: AccruingRevenueOptions) {
    this.#billing = billing
    this.#refreshMs = options.refreshMs ?? 60_000
    this.#firstWaitMs = options.firstWaitMs ?? 300
    this.#pageSize = options.pageSize ?? 100
    this.#now = options.now
    this.#logger = options.logger
  }

  /**
   * The latest snapshot; starts a pass when there is none or it is stale. The first ask waits up
   * to `firstWaitMs` for the first pass (a small store answers at once), later asks never wait.
   */
  async latest(): Promise<AccruingSnapshot | null> {
    const snapshot = this.#snapshot
    const stale = snapshot === null || this.#now() - snapshot.asOf >= this.#refreshMs
    if (stale && this.#pass === null && !this.#closed) {
      this.#pass = this.#run().finally(() => {
        this.#pass = null
      })
    }
    if (snapshot === null && this.#pass !== null) {
      let timer: NodeJS.Timeout | undefined
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#firstWaitMs)
      })
      await Promise.race([this.#pass, waited])
      clearTimeout(timer)
    }
    return this.#snapshot
  }

  /** Stops after the page in progress; no new pass starts. */
  close(): void {
    this.#closed = true
  }

  async #run(): Promise<void> {
    const asOf = this.#now()
    const sums = new Map<string, bigint>()
    let subscriptions = 0
    let failed = 0
    try {
      let cursor: string | undefined
      do {
        const page = await this.#billing.subscriptions.list({
          limit: this.#pageSize,
          ...(cursor === undefined ? {} : { cursor }),
        })
        for (const sub of page.data) {
          if (sub.status === 'canceled') continue
          const started = performance.now()
          try {
            const upcoming = await this.#billing.invoices.preview({
              customer_id: sub.customer_id,
              subscription_id: sub.id,
            })
            sums.set(upcoming.currency, (sums.get(upcoming.currency) ?? 0n) + BigInt(upcoming.total))
            subscriptions++
          } catch (error) {
            failed++
            this.#logger.warn(
              'dashboard: a subscription has no upcoming invoice to add to accruing revenue',
              {
                subscription_id: sub.id,
                error: error instanceof Error ? error.message : String(error),
              },
            )
          }
          // A synchronous driver (SQLite) answers in microtasks, which never let a request in: give
          // the host's requests a turn after every preview, and as long again as the preview took,
          // so a pass over many subscriptions takes at most half of this thread while it runs.
          await pause(performance.now() - started)
        }
        cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined
      } while (cursor !== undefined && !this.#closed)
    } catch (error) {
      // A storage outage: keep the previous snapshot; the next ask tries again.
      this.#logger.error('dashboard: accruing revenue could not be read', {
        error: error instanceof Error ? error.message : String(error),
      })
      return
    }
    if (!this.#closed) this.#snapshot = { asOf, byCurrency: sums, subscriptions, failed }
  }
}
