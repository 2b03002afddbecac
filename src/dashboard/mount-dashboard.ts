import type { Hono } from 'hono'
import type { Billing } from '../core/billing.js'
import { ErrorCode, ValidationError } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
import { AccruingRevenue } from './accruing-revenue.js'
import { assetResponse } from './assets/asset-files.js'
import type { DashboardContext, DashboardOptions } from './dashboard-options.js'
import { LiveHub } from './live-hub.js'
import { operatorRoutes } from './operator-routes.js'
import { portalRoutes } from './portal-routes.js'
import { RecentReads } from './recent-reads.js'

/**
 * How long the overview's reads across all customers are shared between page loads: each scans
 * every customer's rollups of a meter (seconds at millions of rows), while the live stream keeps
 * the current hour's figures current in between.
 */
const OVERVIEW_SHARED_MS = 5_000

/**
 * Adds the operator dashboard and the customer portal under `<basePath>/dashboard` to a router;
 * answers a function that stops their live polls.
 *
 * @example
 * const stop = mountDashboard(app, billing, '', {}, logger)
 */
export function mountDashboard(
  app: Hono,
  billing: Billing,
  basePath: string,
  options: DashboardOptions,
  logger: Logger,
): () => void {
  const interval = milliseconds(options.liveIntervalMs, 1000, 'liveIntervalMs')
  const accruingRefreshMs = milliseconds(options.accruingRefreshMs, 60_000, 'accruingRefreshMs')
  const now = options.clock ?? Date.now
  const dc: DashboardContext = {
    billing,
    base: `${basePath}/dashboard`,
    basePath,
    options,
    hub: new LiveHub(interval, logger),
    reads: new RecentReads(OVERVIEW_SHARED_MS),
    accruing: new AccruingRevenue(billing, { refreshMs: accruingRefreshMs, now, logger }),
    logger,
    now,
  }
  app.get(`${dc.base}/assets/:name`, async (c) => (await assetResponse(c.req.param('name'))) ?? c.notFound())
  operatorRoutes(app, dc)
  portalRoutes(app, dc)
  return () => {
    dc.hub.close()
    dc.accruing.close()
  }
}

/** An interval option: an integer of at least 100 ms, or its default. */
function milliseconds(value: number | undefined, fallback: number, name: string): number {
  const ms = value ?? fallback
  if (!Number.isSafeInteger(ms) || ms < 100)
    throw new ValidationError(
      ErrorCode.INVALID_OPTIONS,
      `dashboard.${name} must be an integer of at least 100`,
      {
        path: `dashboard.${name}`,
      },
    )
  return ms
}
