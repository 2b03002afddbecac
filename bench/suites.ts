import type { Suite } from './harness.js'
import pricing from './pricing.bench.js'

/** Every suite `bench/run.ts` knows about, run in this order. Add new `*.bench.ts` suites here. */
export const suites: readonly Suite[] = [pricing]
