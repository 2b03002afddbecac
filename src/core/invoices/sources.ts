import type { BillingContext } from '../context.js'
import type { Customer } from '../customers/types.js'
import { NotFoundError } from '../errors.js'
import type { Meter } from '../meters/types.js'
import type { Plan } from '../plans/types.js'

/**
 * What invoicing reads besides usage, cached for one run: plans change by new versions only and
 * meters never change, so one read each per run is exact; customers are read for their name.
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
}
