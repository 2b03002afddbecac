import { it } from 'vitest'
import type { SuiteTest } from './ports/port-suite.js'

/**
 * The tests of one `runStorageSuites` run by id, and the author's `skipTests`: a key names a test
 * id, a test title or a whole suite (the id's first part, `invoices`, `cross-process`).
 *
 * @example
 * const registry = new SuiteRegistry({ 'invoices.finalize': 'numbers come from an external service' })
 * registry.test('invoices.finalize', 'finalize: gapless numbers', async () => {})
 * registry.checkSkipKeys()
 */
export class SuiteRegistry {
  readonly #skipTests: ReadonlyMap<string, string>
  readonly #ids = new Set<string>()
  readonly #matched = new Set<string>()

  constructor(skipTests: Readonly<Record<string, string>> = {}) {
    this.#skipTests = new Map(Object.entries(skipTests))
  }

  /** Registers a test with vitest: skipped, its reason in its title, when a `skipTests` key names it. */
  readonly test: SuiteTest = (id, title, body, timeout) => {
    if (this.#ids.has(id)) throw new Error(`two storage suite tests share the id ${id}`)
    this.#ids.add(id)
    const dot = id.indexOf('.')
    const suite = dot < 0 ? id : id.slice(0, dot)
    const key = [id, title, suite].find((candidate) => this.#skipTests.has(candidate))
    const named = `${title} [${id}]`
    if (key === undefined) return void it(named, body, timeout)
    this.#matched.add(key)
    it.skip(`${named} (skipped: ${this.#skipTests.get(key)})`, body)
  }

  /**
   * A test registrar for a suite whose tests have titles but no ids (the conformance suite): a
   * `skipTests` key names one by its title, or all by the suite id.
   */
  titled(suite: string): (title: string, body: () => Promise<void>, timeout?: number) => void {
    return (title, body, timeout) => {
      const key = [title, suite].find((candidate) => this.#skipTests.has(candidate))
      this.#ids.add(`${suite}: ${title}`)
      if (key === undefined) return void it(title, body, timeout)
      this.#matched.add(key)
      it.skip(`${title} (skipped: ${this.#skipTests.get(key)})`, body)
    }
  }

  /**
   * Registers a test that fails when a `skipTests` key named no test (a typo would otherwise run
   * the test it meant to skip, or hide that the test was renamed). It checks when it runs, after
   * every suite has registered its tests.
   */
  checkSkipKeys(): void {
    if (this.#skipTests.size === 0) return
    it('skipTests names only tests that exist', () => {
      const unknown = [...this.#skipTests.keys()].filter((key) => !this.#matched.has(key))
      if (unknown.length === 0) return
      throw new Error(
        `skipTests names no test: ${unknown.map((k) => JSON.stringify(k)).join(', ')}. ` +
          `Keys are a test id, a test title or a suite id; the tests are: ${[...this.#ids].join(', ')}`,
      )
    })
  }
}
