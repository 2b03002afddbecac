import type { BillingContext } from '../context.js'
import type { Customer } from '../customers/types.js'
import { NotFoundError } from '../errors.js'
import type { Meter, RollupState } from '../meters/types.js'
import type { Plan } from '../plans/types.js'
import type { CustomersRollupQuery, RollupQuery } from '../ports/index.js'

const usageKey = (meter: string, customer: string, fromBucket: number, toBucket: number) =>
  `${meter}\u0000${customer}\u0000${fromBucket}\u0000${toBucket}`

/**
 * What invoicing reads besides usage, cached for one run: plans change by new versions only and
 * meters never change, so one read each per run is exact; customers are read for their name.
 * Usage read ahead for a batch of invoices (`readAhead`) is held until `forgetUsage`: usage is read
 * fresh for every batch.
 *
 * @example
 * const sources = new InvoiceSources(ctx)
 * const versions = await sources.planVersions('starter')
 */
export class InvoiceSources {
  readonly #ctx: BillingContext
  readonly #plans = new Map<string, Promise<Plan[]>>()
  readonly #meters = new Map<string, Promise<Meter>>()
  readonly #customers = new Map<string, Promise<Customer | null>>()
  readonly #usage = new Map<string, RollupState>()

  constructor(ctx: BillingContext) {
    this.#ctx = ctx
  }

  planVersions(code: string): Promise<Plan[]> {
    let versions = this.#plans.get(code)
    if (versions === undefined) {
      versions = this.#ctx.storage.plans.getVersions(code)
      this.#plans.set(code, versions)
    }
    return versions
  }

  meter(code: string): Promise<Meter> {
    let meter = this.#meters.get(code)
    if (meter === undefined) {
      meter = this.#ctx.storage.meters.get(code).then((m) => {
        if (m === null)
          throw new NotFoundError(`meter ${code} does not exist`, { id: code, resource: 'meter' })
        return m
      })
      this.#meters.set(code, meter)
    }
    return meter
  }

  customer(id: string): Promise<Customer | null> {
    let customer = this.#customers.get(id)
    if (customer === undefined) {
      customer = this.#ctx.storage.customers.get(id)
      this.#customers.set(id, customer)
    }
    return customer
  }

  /** Reads the customers among `ids` not read yet in this run, in one query. */
  async readCustomers(ids: readonly string[]): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.#customers.has(id))
    if (missing.length === 0) return
    const found = this.#ctx.storage.customers.list({ ids: missing, limit: missing.length })
    for (const id of missing) {
      const customer = found.then((list) => list.find((c) => c.id === id) ?? null)
      customer.catch(() => undefined) // a failed read throws below; later readers see it too
      this.#customers.set(id, customer)
    }
    await found
  }

  /** Reads one meter's whole buckets for several customers in one query, for {@link rollups}. */
  async readAhead(query: CustomersRollupQuery): Promise<void> {
    const states = await this.#ctx.storage.meters.readRollupsOfCustomers(query)
    for (const [i, customer] of query.customer_ids.entries())
      this.#usage.set(usageKey(query.meter, customer, query.fromBucket, query.toBucket), states[i]!)
  }

  /** A meter's whole buckets of one customer: as read ahead, else read now. */
  rollups(query: RollupQuery): Promise<RollupState> {
    if (query.grain === 'minute') return this.#ctx.storage.meters.readRollups(query)
    const ahead = this.#usage.get(usageKey(query.meter, query.customer_id, query.fromBucket, query.toBucket))
    return ahead === undefined ? this.#ctx.storage.meters.readRollups(query) : Promise.resolve(ahead)
  }

  /** Drops the usage read ahead: the next batch reads its own. */
  forgetUsage(): void {
    this.#usage.clear()
  }
}
