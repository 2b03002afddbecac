import type { Billing } from '../core/billing.js'
import type { Notification } from '../core/notifications/types.js'
import { percent, quantity } from './format.js'
import type { LiveMessage, Poll } from './live-hub.js'
import { currentSubscription, customerMeters } from './loaders/customer-data.js'
import { summary } from './pages/widgets.js'

const HOUR = 3_600_000

/** Notifications after the last one seen, as live messages; the first poll only finds the start. */
function notificationFeed(billing: Billing, customer_id?: string): () => Promise<LiveMessage[]> {
  let last: string | null = null
  const scope = customer_id === undefined ? {} : { customer_id }
  return async () => {
    if (last === null) {
      const newest = await billing.notifications.list({ ...scope, order: 'desc', limit: 1 })
      last = newest.data[0]?.id ?? ''
      return []
    }
    const page = await billing.notifications.list({
      ...scope,
      ...(last === '' ? {} : { after: last }),
      limit: 50,
    })
    const fresh: Notification[] = page.data
    if (fresh.length > 0) last = (fresh[fresh.length - 1] as Notification).id
    return fresh.map((n) => ({
      event: 'notification',
      data: {
        id: n.id,
        type: n.type,
        created_at: n.created_at,
        customer_id: n.customer_id,
        summary: summary(n),
      },
    }))
  }
}

/**
 * What changed for one customer since the last poll: each meter's period total and current hour
 * (sent when they change), and new notifications.
 *
 * @example
 * hub.watch(`customer:${id}`, () => customerPoll(billing, id, Date.now), send)
 */
export function customerPoll(billing: Billing, customer_id: string, now: () => number): Poll {
  const sent = new Map<string, string>()
  const notifications = notificationFeed(billing, customer_id)
  return async () => {
    const at = now()
    const sub = await currentSubscription(billing, customer_id)
    const meters = await customerMeters(billing, customer_id, sub, at, { hoursBack: 2 })
    const messages: LiveMessage[] = []
    for (const m of meters) {
      const hour = m.points[0].length === 0 ? Math.floor(at / HOUR) * 3600 : (m.points[0].at(-1) as number)
      const hourQuantity = m.points[1].at(-1) ?? 0
      const state = `${m.usedText}|${hour}|${hourQuantity}|${m.limit}`
      if (sent.get(m.code) === state) continue
      sent.set(m.code, state)
      const share = percent(m.used, m.limit)
      messages.push({
        event: 'usage',
        data: {
          meter: m.code,
          quantity_text: m.usedText,
          fill_text: share === null ? null : `${share}%`,
          hour,
          hour_quantity: hourQuantity,
        },
      })
    }
    return [...messages, ...(await notifications())]
  }
}

/**
 * What changed for the overview since the last poll: every meter's current hour across customers,
 * and new notifications.
 *
 * @example
 * hub.watch('overview', () => overviewPoll(billing, Date.now), send)
 */
export function overviewPoll(billing: Billing, now: () => number): Poll {
  const sent = new Map<string, string>()
  const notifications = notificationFeed(billing)
  return async () => {
    const at = now()
    const hourStart = Math.floor(at / HOUR) * HOUR
    const messages: LiveMessage[] = []
    for (const meter of await billing.meters.list()) {
      const series = await billing.usage.series({ meter: meter.code, from: hourStart, to: at + 1 })
      const point = series.points.at(-1)
      const hourQuantity = point?.quantity ?? 0
      const state = `${hourStart}|${hourQuantity}`
      if (sent.get(meter.code) === state) continue
      sent.set(meter.code, state)
      messages.push({
        event: 'usage',
        data: {
          meter: meter.code,
          quantity_text: quantity(hourQuantity),
          hour: hourStart / 1000,
          hour_quantity: hourQuantity,
        },
      })
    }
    return [...messages, ...(await notifications())]
  }
}
