import type { Billing } from '../core/billing.js'
import type { Logger } from '../core/logger.js'
import type { AccruingRevenue } from './accruing-revenue.js'
import type { LiveHub } from './live-hub.js'
import type { RecentReads } from './recent-reads.js'

/** How the dashboard and the customer portal behave (`createHttpApi(billing, { dashboard: { … } })`). */
export interface DashboardOptions {
  /**
   * The gateway and return address of checkout links: "Send a checkout link" on a customer's page
   * and the portal's Pay button. Without it those actions say that checkout is not set up.
   */
  checkout?: { gateway: string; callbackUrl: string }
  /** Origins allowed to frame the customer portal (`https://app.example.ng`); default: none but this one. */
  portalFrameAncestors?: string[]
  /**
   * How old the overview's accruing revenue (the sum of every live subscription's upcoming
   * invoice, computed in the background) may get before the next overview load refreshes it
   * (default 60,000 ms).
   */
  accruingRefreshMs?: number
  /** How often open pages look for new usage and notifications (default 1,000 ms). */
  liveIntervalMs?: number
  /** Mark cookies `Secure` (default: when the request came over HTTPS). */
  secureCookies?: boolean
  /**
   * What "now" is for the pages (this period, the last 7 days, past due): pass the clock given to
   * `createBilling` when it is not the system's (a simulation). Default: the system clock.
   */
  clock?: () => number
}

/** What the dashboard's routes share. */
export interface DashboardContext {
  billing: Billing
  /** `<basePath>/dashboard`. */
  base: string
  basePath: string
  options: DashboardOptions
  hub: LiveHub
  /** The overview's reads across all customers, shared for a few seconds between page loads. */
  reads: RecentReads
  /** This period's accruing revenue, refreshed in the background. */
  accruing: AccruingRevenue
  logger: Logger
  /** Now, by `options.clock`. */
  now: () => number
}
