import type { BillingContext } from '../context.js'
import { errorName } from '../logger.js'
import { getMeter } from '../meters/meters-service.js'
import type { Meter } from '../meters/types.js'
import type { AlertRecord, AllowanceRecord, AppendOutcome } from '../ports/index.js'
import { type CustomerEntry, loadCustomerEntry } from './customer-entry.js'
import { hasAllowances } from './plan-allowances.js'

/** How the view is set up (from `createBilling({ entitlements })`). */
export interface ViewSettings {
  readonly refreshMs: number
  readonly allowWithoutSubscription: boolean
}

// An entry only ingested for (never checked) is reloaded this often: it only decides which
// allowances this process opens; every process's appends are weighed in storage regardless.
const INGEST_ENTRY_TTL_MS = 60_000

// An entry neither checked nor ingested for this long (wall time) is dropped: its next use reloads
// it. Only entries checked within it are refreshed in the background (`check` answers from them;
// ingestion is weighed in storage whatever this process holds).
const IDLE_MS = 600_000

// Subscriptions change rarely (pause, cancel): re-read them every this many refreshes.
const SUBSCRIPTION_REFRESH_EVERY = 10

/**
 * This process's in-memory view of customers' entitlements: what `check` answers from. It is exact
 * for this process's own appends and reserves (they return the allowances as committed), and a
 * background refresh every `refreshMs` reloads what other processes changed. The refresh timer is
 * unref'd (it never keeps the host alive) and its failures are logged, never thrown.
 *
 * @example
 * const view = new EntitlementView({ refreshMs: 1000, allowWithoutSubscription: false })
 * const entry = await view.entry(ctx, 'cus_1')
 */
export class EntitlementView {
  readonly settings: ViewSettings
  readonly #entries = new Map<string, CustomerEntry>()
  /** The allowance lists of appends already absorbed (one per transaction, shared by its callers). */
  readonly #absorbed = new WeakSet<readonly AllowanceRecord[]>()
  readonly #loading = new Map<string, Promise<CustomerEntry>>()
  readonly #meters = new Map<string, Meter>()
  #anyLimits: boolean | null = null
  #alerts: readonly AlertRecord[] | null = null
  #nothingAt = 0
  #timer: ReturnType<typeof setInterval> | null = null
  #refreshing = false
  #refreshes = 0

  constructor(settings: ViewSettings) {
    this.settings = settings
  }

  /** A meter by code (meters never change, so this process keeps each it has read). */
  async meter(ctx: BillingContext, code: string): Promise<Meter> {
    const known = this.#meters.get(code)
    if (known !== undefined) return known
    const meter = await getMeter(ctx, code)
    this.#meters.set(code, meter)
    return meter
  }

  /** A meter this process has read, or undefined. */
  knownMeter(code: string): Meter | undefined {
    return this.#meters.get(code)
  }

  /** The entry of a customer when this process holds a current one, without touching storage. */
  freshEntry(ctx: BillingContext, customer_id: string): CustomerEntry | undefined {
    if (this.#timer === null) return undefined
    const found = this.#entries.get(customer_id)
    return found !== undefined && !this.#stale(found, ctx.now(), Number.POSITIVE_INFINITY) ? found : undefined
  }

  /** The entry of a customer, loaded (and its allowances opened) when missing or past its period. */
  async entry(ctx: BillingContext, customer_id: string): Promise<CustomerEntry> {
    this.#start(ctx)
    const found = this.#entries.get(customer_id)
    if (found !== undefined && !this.#stale(found, ctx.now(), Number.POSITIVE_INFINITY)) return found
    return this.#load(ctx, customer_id)
  }

  /**
   * Before an append: opens this period's allowances of the batch's customers this process has not
   * seen (or not for a while), so their events are weighed. Costs nothing until some plan limits or
   * some alert exists.
   */
  prepare(ctx: BillingContext, events: readonly { customer_id: string }[]): Promise<void> {
    // The common case, settled without a promise chain: nothing to open, checked a moment ago.
    if (this.#noneForNow()) return Promise.resolve()
    return this.#prepare(ctx, events)
  }

  async #prepare(ctx: BillingContext, events: readonly { customer_id: string }[]): Promise<void> {
    if (!(await this.#allowancesExist(ctx))) return
    this.#start(ctx)
    const now = ctx.now()
    const pending: Array<Promise<CustomerEntry>> = []
    const wall = Date.now()
    for (const customer of new Set(events.map((event) => event.customer_id))) {
      const found = this.#entries.get(customer)
      if (found === undefined || this.#stale(found, now, INGEST_ENTRY_TTL_MS))
        pending.push(this.#load(ctx, customer))
      else found.usedAt = wall
    }
    if (pending.length > 0) await Promise.all(pending)
  }

  /** After an append or reserve: keeps each allowance the storage answered, if newer. */
  absorb(allowances: readonly AllowanceRecord[]): void {
    for (const a of allowances) {
      const entry = this.#entries.get(a.customer_id)
      const current = entry?.allowances.get(a.meter)
      if (entry === undefined || current === undefined) continue
      if (current.period_start === a.period_start && a.revision >= current.revision)
        entry.allowances.set(a.meter, a)
    }
  }

  /**
   * Keeps the allowances an append's outcomes carry. The outcomes of one transaction share one
   * list, also when it gathered many callers' events (each caller gets its own outcomes): the list
   * is absorbed once, not once per caller, which made 200 gathered single events cost 200 × 400
   * lookups.
   */
  absorbOutcomes(outcomes: readonly AppendOutcome[]): void {
    for (const o of outcomes) {
      if (
        (o.status === 'accepted' || o.status === 'refused') &&
        o.allowances &&
        !this.#absorbed.has(o.allowances)
      ) {
        this.#absorbed.add(o.allowances)
        this.absorb(o.allowances)
      }
    }
  }

  /** Forgets a customer (its subscription changed in this process): the next use reloads it. */
  forget(customer_id: string): void {
    this.#entries.delete(customer_id)
  }

  /** Every alert, as this process last read them (read on first use, then by the refresh). */
  async alerts(ctx: BillingContext): Promise<readonly AlertRecord[]> {
    if (this.#alerts === null) this.#alerts = await ctx.storage.alerts.list()
    return this.#alerts
  }

  /**
   * Alerts were created or deleted (here, or seen by the refresh): every entry is reloaded on its
   * next use, which gives its allowances the alerts' thresholds.
   */
  alertsChanged(alerts: readonly AlertRecord[] | null = null): void {
    this.#alerts = alerts
    this.#nothingAt = 0
    for (const entry of this.#entries.values()) entry.loadedAt = Number.NEGATIVE_INFINITY
  }

  /** A plan was created or changed in this process: limits may exist now. */
  plansChanged(): void {
    if (this.#anyLimits === false) this.#anyLimits = null
  }

  /** Stops the background refresh. */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
  }

  #stale(entry: CustomerEntry, now: number, ttl: number): boolean {
    if (entry.period !== null && now >= entry.period.end) return true
    return now - entry.loadedAt >= ttl || now < entry.loadedAt
  }

  #load(ctx: BillingContext, customer_id: string): Promise<CustomerEntry> {
    const inFlight = this.#loading.get(customer_id)
    if (inFlight !== undefined) return inFlight
    const loading = this.alerts(ctx)
      .then((alerts) => loadCustomerEntry(ctx, customer_id, alerts))
      .then((entry) => {
        const previous = this.#entries.get(customer_id)
        if (previous !== undefined) entry.checkedAt = previous.checkedAt
        this.#entries.set(customer_id, entry)
        return entry
      })
      .finally(() => this.#loading.delete(customer_id))
    this.#loading.set(customer_id, loading)
    return loading
  }

  // No plan limits and no alerts, as checked less than `refreshMs` ago: what `#allowancesExist`
  // answers false for without reading storage.
  #noneForNow(): boolean {
    return (
      this.#anyLimits === false &&
      this.#alerts !== null &&
      this.#alerts.length === 0 &&
      Date.now() - this.#nothingAt < this.settings.refreshMs
    )
  }

  // Whether some plan limits or some alert watches anything. While nothing does, it is asked of the
  // storage again at most every `refreshMs` (wall time): another process may create either.
  async #allowancesExist(ctx: BillingContext): Promise<boolean> {
    if (this.#anyLimits === true || (this.#alerts !== null && this.#alerts.length > 0)) return true
    if (this.#noneForNow()) return false
    this.#nothingAt = Date.now()
    this.#anyLimits = null
    this.#alerts = null
    return (await this.#limitsExist(ctx)) || (await this.alerts(ctx)).length > 0
  }

  async #limitsExist(ctx: BillingContext): Promise<boolean> {
    if (this.#anyLimits === true) return true
    if (this.#anyLimits === false) return false
    let after: string | undefined
    for (;;) {
      const page = await ctx.storage.plans.list({ limit: 200, ...(after === undefined ? {} : { after }) })
      if (page.some(hasAllowances)) {
        this.#anyLimits = true
        return true
      }
      if (page.length < 200) break
      after = page[page.length - 1]!.code
    }
    this.#anyLimits = false
    return false
  }

  #start(ctx: BillingContext): void {
    if (this.#timer !== null) return
    this.#timer = setInterval(() => void this.#refresh(ctx), this.settings.refreshMs)
    this.#timer.unref?.()
  }

  // Every refresh reads the allowances of the entries checked lately (batched: what other processes
  // ingested and reserved). Those past their period, and every tenth refresh all of them, are
  // reloaded whole (a subscription paused or canceled elsewhere); entries not checked lately are
  // left as they are, and dropped once idle. New alerts are noticed here too.
  async #refresh(ctx: BillingContext): Promise<void> {
    if (this.#refreshing) return
    this.#refreshing = true
    try {
      if (this.#anyLimits === false) this.#anyLimits = null
      const alerts = await ctx.storage.alerts.list()
      if (this.#alerts === null || signature(alerts) !== signature(this.#alerts)) this.alertsChanged(alerts)
      const full = ++this.#refreshes % SUBSCRIPTION_REFRESH_EVERY === 0
      const since = Date.now() - SUBSCRIPTION_REFRESH_EVERY * 2 * this.settings.refreshMs
      const batched: CustomerEntry[] = []
      let loads = 0
      const wall = Date.now()
      for (const entry of [...this.#entries.values()]) {
        if (wall - entry.checkedAt >= IDLE_MS) {
          if (wall - entry.usedAt >= IDLE_MS) this.#entries.delete(entry.customer_id)
          continue
        }
        const ended = entry.period !== null && ctx.now() >= entry.period.end
        if (ended || (full && entry.checkedAt >= since)) {
          await this.#load(ctx, entry.customer_id)
          if (++loads % YIELD_EVERY === 0) await yieldToIo()
        } else if (entry.allowances.size > 0) batched.push(entry)
      }
      for (let i = 0; i < batched.length; i += 500) {
        if (i > 0) await yieldToIo()
        const keys = batched
          .slice(i, i + 500)
          .flatMap((e) => [...e.allowances.keys()].map((meter) => ({ customer_id: e.customer_id, meter })))
        this.absorb(await ctx.storage.entitlements.read(keys, ctx.now()))
      }
    } catch (error) {
      ctx.logger.warn('entitlements refresh failed', { error: errorName(error) })
    } finally {
      this.#refreshing = false
    }
  }
}

const signature = (alerts: readonly AlertRecord[]): string => alerts.map((a) => a.id).join(',')

/** Reloads between two yields to the event loop during a refresh. */
const YIELD_EVERY = 50

/**
 * Lets pending I/O run. A synchronous driver (better-sqlite3) answers each read before the next
 * line runs, so a refresh over 10,000 customers would otherwise hold the event loop for tens of
 * milliseconds at a stretch, and every request of the host would wait behind it.
 */
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
