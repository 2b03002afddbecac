/**
 * One wrapper instead of a forwarder per method: every method of `target` (a sub-store class
 * instance), with each failure passed through `fail` along with the operation's name
 * (`'invoices.get'`), so every storage error is typed the same way wherever it happens.
 *
 * @example
 * const customers = guarded('customers', new SqlCustomerStore(parts), (op, e) => storageFailure('sqlite', op, e))
 */
export function guarded<T extends object>(
  store: string,
  target: T,
  fail: (operation: string, error: unknown) => unknown,
): T {
  const wrapped: Record<string, unknown> = {}
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(target))) {
    const method: unknown = Reflect.get(target, name)
    if (name === 'constructor' || typeof method !== 'function') continue
    const operation = `${store}.${name}`
    const rethrow = (error: unknown): never => {
      throw fail(operation, error)
    }
    // No async frame per call: the method's own promise, its failure passed through `fail`.
    wrapped[name] = (...args: unknown[]): Promise<unknown> => {
      try {
        return Promise.resolve(method.apply(target, args)).then(undefined, rethrow)
      } catch (error) {
        return Promise.reject(fail(operation, error))
      }
    }
  }
  return Object.freeze(wrapped) as T
}
