import type { Hono } from 'hono'
import type { Billing } from '../core/billing.js'
import { ErrorCode, ValidationError } from '../core/errors.js'
import type { Logger } from '../core/logger.js'
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
  const interval = options.liveIntervalMs ?? 1000
  if (!Number.isSafeInteger(interval) || interval < 100)
    throw new ValidationError(
      ErrorCode.INVALID_OPTIONS,
      'dashboard.liveIntervalMs must be an integer of at least 100',
      {
        path: 'dashboard.liveIntervalMs',
      },
    )
  const dc: DashboardContext = {
    billing,
    base: `${basePath}/dashboard`,
    basePath,
    options,
    hub: new LiveHub(interval, logger),
    reads: new RecentReads(OVERVIEW_SHARED_MS),
    logger,
    now: options.clock ?? Date.now,
  }
  app.get(`${dc.base}/assets/:name`, async (c) => (await assetResponse(c.req.param('name'))) ?? c.notFound())
  operatorRoutes(app, dc)
  portalRoutes(app, dc)
  return () => dc.hub.close()
}
