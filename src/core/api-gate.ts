import { BillingError, ErrorCode } from './errors.js'

/** An object of functions that each answer a promise: a namespace of the public API. */
export type AsyncMethods<T> = { [K in keyof T]: (...args: never[]) => Promise<unknown> }

/**
 * Stands between the public API of one billing instance and its services: once closed, every call
 * is refused with `CLOSED`, and nothing but a `BillingError` crosses it.
 *
 * @example
 * const gate = new ApiGate()
 * const events = gate.api(eventsNamespace(ctx))
 * await gate.close(() => ctx.storage.close())
 * await events.list({ customer_id: 'cus_1' }) // rejects with CLOSED
 */
export class ApiGate {
  #closed = false

  /**
   * `fn` behind the gate: refused after `close`, its failures turned into `BillingError`s.
   *
   * @example
   * const tickNow = gate.call(() => tick(ctx, ctx.now()))
   */
  call<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return (...args: A): Promise<R> => {
      if (this.#closed)
        return Promise.reject(new BillingError(ErrorCode.CLOSED, 'this billing instance is closed'))
      return guard(() => fn(...args))
    }
  }

  /**
   * A copy of a namespace object with every function behind the gate (see {@link ApiGate.call}).
   *
   * @example
   * const invoices = gate.api(invoicesNamespace(ctx))
   */
  api<T extends AsyncMethods<T>>(methods: T): T {
    const gated: Record<string, unknown> = {}
    for (const [name, fn] of Object.entries(methods)) {
      gated[name] = this.call(fn as (...args: unknown[]) => Promise<unknown>)
    }
    return gated as T
  }

  /**
   * Closes the gate and runs `release`, once: later calls resolve without running it again.
   *
   * @example
   * await gate.close(() => ctx.storage.close())
   */
  async close(release: () => Promise<void>): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await guard(release)
  }
}

/**
 * Runs `fn`, letting a `BillingError` through. Nothing else crosses the public API: anything else
 * is a bug or a driver failure, wrapped as `INTERNAL_ERROR` with its cause kept for the logs.
 *
 * @example
 * await guard(() => ctx.storage.migrate())
 */
export function guard<R>(fn: () => Promise<R>): Promise<R> {
  // No async frame per call: `fn`'s own promise, its failure passed through `asBillingError`.
  try {
    return Promise.resolve(fn()).then(undefined, rethrowAsBillingError)
  } catch (error) {
    return Promise.reject(asBillingError(error))
  }
}

function asBillingError(error: unknown): BillingError {
  if (error instanceof BillingError) return error
  const message = error instanceof Error ? error.message : String(error)
  return Object.assign(new BillingError(ErrorCode.INTERNAL_ERROR, `unexpected failure: ${message}`), {
    cause: error,
  })
}

const rethrowAsBillingError = (error: unknown): never => {
  throw asBillingError(error)
}
