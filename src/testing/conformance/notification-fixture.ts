import { type Billing, createBilling } from '../../core/billing.js'
import type { NotificationOptions } from '../../core/notifications/notification-options.js'
import { notify } from '../../core/notifications/notify.js'
import type { Notification, NotificationType } from '../../core/notifications/types.js'
import type { ConformanceContext } from './context.js'

/**
 * A billing instance with notification options on the suite's storage, with its own clock. It is
 * never closed: closing would close the suite's storage.
 */
export interface NotificationHarness {
  billing: Billing
  ns: string
  now(): number
  advance(ms: number): void
  /** Writes a notification of this test (customer `<ns><customer>`) and answers its id. */
  write(name: string, customer: string | null, type?: NotificationType): Promise<string>
  /** Of notifications seen, this test's: the store is shared, and a new destination sees them all. */
  mine(seen: readonly Notification[]): string[]
}

/**
 * Starts a billing instance for notification tests at `start` on the suite's storage.
 *
 * @example
 * const h = await notificationHarness(t, 'order', { handler: (n) => { seen.push(n) } })
 */
export async function notificationHarness(
  t: ConformanceContext,
  label: string,
  notifications: NotificationOptions,
  start: number,
): Promise<NotificationHarness> {
  let now = start
  const ns = t.unique(label)
  const billing = await createBilling({
    storage: t.storage(),
    clock: () => now,
    migrate: false,
    notifications,
  })
  return {
    billing,
    ns,
    now: () => now,
    advance: (ms) => {
      now += ms
    },
    write: async (name, customer, type = 'invoice.paid') => {
      const { record } = await notify(
        { storage: t.storage(), now: () => now },
        {
          type,
          key: `${ns}${type}:${name}`,
          customer_id: customer === null ? null : `${ns}${customer}`,
          data: { ns, name, amount: 150_000 },
        },
      )
      return record.id
    },
    mine: (seen) => seen.filter((n) => n.data.ns === ns).map((n) => n.id),
  }
}
