import type { RoundingMode } from './money/rounding.js'
import type { Storage } from './ports.js'

/** What every service of one billing instance shares. */
export interface BillingContext {
  readonly storage: Storage
  /** The injected clock: every "now" comes from here. */
  readonly now: () => number
  readonly rounding: RoundingMode
}
