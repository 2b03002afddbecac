import type { AnyRoute } from '../route.js'
import { accountRoutes } from './account-routes.js'
import { invoiceRoutes } from './invoice-routes.js'
import { meteringRoutes } from './metering-routes.js'
import { notificationRoutes } from './notification-routes.js'

/** Every route of the HTTP API, in matching order (a literal path before a parameter at its place). */
export const apiRoutes: readonly AnyRoute[] = Object.freeze([
  ...meteringRoutes,
  ...accountRoutes,
  ...invoiceRoutes,
  ...notificationRoutes,
])
