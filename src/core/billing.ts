import type { BillingContext } from './context.js'
import { BillingError, ErrorCode, ValidationError } from './errors.js'
import { ingestEvents } from './events/ingest.js'
import { type EventPage, type ListEventsQuery, listEvents } from './events/list-events.js'
import type { IngestInput, IngestResult } from './events/types.js'
import { createMeter, getMeter } from './meters/meters-service.js'
import type { Meter, MeterInput } from './meters/types.js'
import { getUsage, type Usage, type UsageQuery } from './meters/usage.js'
import { assertRoundingMode, type RoundingMode } from './money/rounding.js'
import type { Storage } from './ports.js'

/** What `createBilling` takes. */
export interface BillingOptions {
  /** Where everything is kept: `sqliteStorage(...)`, `postgresStorage(...)`, `mysqlStorage(...)`, `memoryStorage()`. */
  storage: Storage
  /** The time source of everything; inject one for tests and simulations. Default: the system clock. */
  clock?: () => Date | number
  /** How amounts are rounded to integer minor units: `half_up` (default) or `half_even`. */
  rounding?: RoundingMode
  /** Run schema migrations on start (default true). */
  migrate?: boolean
}

/** A billing instance: every namespace of the public API. */
export interface Billing {
  events: {
    /** Stores usage events exactly once each and answers per event. */
    ingest(input: IngestInput): Promise<IngestResult>
    /** Pages one customer's event log, oldest first. */
    list(query: ListEventsQuery): Promise<EventPage>
  }
  meters: {
    create(input: MeterInput): Promise<Meter>
    get(code: string): Promise<Meter>
    list(): Promise<Meter[]>
  }
  usage: {
    /** A customer's usage of a meter over `[from, to)`, exact. */
    get(query: UsageQuery): Promise<Usage>
  }
  /** Releases what this instance opened (not a pool or database handle the host passed in). */
  close(): Promise<void>
}

/**
 * Creates a billing instance on a storage, migrating its schema unless `migrate: false`.
 *
 * @example
 * import { createBilling } from 'kobometer'
 * import { sqliteStorage } from 'kobometer/sqlite'
 * const billing = await createBilling({ storage: sqliteStorage({ filename: './billing.db' }) })
 * await billing.meters.create({ code: 'api_calls', event_name: 'api_call', aggregation: 'count' })
 * await billing.events.ingest({ events: [{ event_name: 'api_call', customer_id: 'cus_1', idempotency_key: 'req_1' }] })
 * await billing.close()
 */
export async function createBilling(options: BillingOptions): Promise<Billing> {
  const ctx = contextFrom(options)
  if (options.migrate !== false) await guard(() => ctx.storage.migrate())
  let closed = false
  const open =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (closed) return Promise.reject(new BillingError(ErrorCode.CLOSED, 'this billing instance is closed'))
      return guard(() => fn(...args))
    }
  return {
    events: {
      ingest: open((input: IngestInput) => ingestEvents(ctx, input)),
      list: open((query: ListEventsQuery) => listEvents(ctx, query)),
    },
    meters: {
      create: open((input: MeterInput) => createMeter(ctx, input)),
      get: open((code: string) => getMeter(ctx, code)),
      list: open(() => ctx.storage.listMeters()),
    },
    usage: { get: open((query: UsageQuery) => getUsage(ctx, query)) },
    async close() {
      if (closed) return
      closed = true
      await guard(() => ctx.storage.close())
    },
  }
}

function contextFrom(options: BillingOptions): BillingContext {
  const invalid = (path: string, message: string) =>
    new ValidationError(ErrorCode.INVALID_OPTIONS, `${path} ${message}`, { path })
  if (typeof options !== 'object' || options === null) throw invalid('options', 'must be an object')
  const storage = options.storage
  if (typeof storage !== 'object' || storage === null || typeof storage.appendEvents !== 'function') {
    throw invalid('storage', 'must be a storage such as sqliteStorage(...) or memoryStorage()')
  }
  const rounding = options.rounding ?? 'half_up'
  assertRoundingMode(rounding)
  const clock = options.clock
  if (clock !== undefined && typeof clock !== 'function')
    throw invalid('clock', 'must be a function returning a Date')
  const now = clock
    ? () => {
        const t = clock()
        const ms = t instanceof Date ? t.getTime() : t
        if (typeof ms !== 'number' || !Number.isFinite(ms))
          throw invalid('clock', 'returned something that is not a time')
        return ms
      }
    : Date.now
  return { storage, now, rounding }
}

// Nothing but a BillingError crosses the public API: anything else is a bug or a driver failure,
// wrapped with its cause kept for the logs.
async function guard<R>(fn: () => Promise<R>): Promise<R> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof BillingError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw Object.assign(new BillingError(ErrorCode.INTERNAL_ERROR, `unexpected failure: ${message}`), {
      cause: error,
    })
  }
}
