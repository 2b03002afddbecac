import type { RoundingMode } from './money/rounding.js'
import type { Storage } from './ports.js'

/** How invoices are closed and numbered. */
export interface InvoicingSettings {
  /** Drafts stay open for late events this long after their period ends. */
  readonly graceMs: number
  /** Invoice numbers are this prefix and a six-digit (or longer) gapless sequence number. */
  readonly numberPrefix: string
  /** `due_at` is this many days after finalization. */
  readonly dueDays: number
}

/** What every service of one billing instance shares. */
export interface BillingContext {
  readonly storage: Storage
  /** The injected clock: every "now" comes from here. */
  readonly now: () => number
  readonly rounding: RoundingMode
  readonly invoicing: InvoicingSettings
}
