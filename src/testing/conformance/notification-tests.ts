import { describe, expect } from 'vitest'
import { createBilling } from '../../core/billing.js'
import type { Notification } from '../../core/notifications/types.js'
import type { ConformanceContext } from './context.js'
import { notificationHarness } from './notification-fixture.js'

const START = Date.UTC(2026, 6, 1)
const MINUTE = 60_000

/** Notifications through `createBilling`: options, `list`, delivery to a handler, retries, parking. */
export function notificationTests(t: ConformanceContext): void {
  const { it } = t
  describe('notifications', () => {
    it('refuses invalid notification options with INVALID_OPTIONS naming the field', async () => {
      const secret = 'whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM='
      const cases: Array<[unknown, string]> = [
        [{ handler: 'no' }, 'notifications.handler'],
        [{ maxAttempts: 0 }, 'notifications.maxAttempts'],
        [{ timeoutMs: 5_000, leaseMs: 5_000 }, 'notifications.leaseMs'],
        [{ webhooks: [{ url: 'ftp://x.example', secret }] }, 'notifications.webhooks[0].url'],
        [{ webhooks: [{ url: 'https://u:p@x.example/h', secret }] }, 'notifications.webhooks[0].url'],
        [
          { webhooks: [{ url: 'https://x.example/h', secret: 'hunter2' }] },
          'notifications.webhooks[0].secret',
        ],
        [
          { webhooks: [{ url: 'https://x.example/h', secret, types: ['usage.thresold'] }] },
          'notifications.webhooks[0].types[0]',
        ],
        [
          {
            webhooks: [
              { url: 'https://x.example/h', secret },
              { url: 'https://x.example/h', secret },
            ],
          },
          'notifications.webhooks[1].url',
        ],
      ]
      for (const [notifications, path] of cases) {
        const created = createBilling({
          storage: t.storage(),
          migrate: false,
          notifications: notifications as never,
        })
        await expect(created).rejects.toMatchObject({ code: 'INVALID_OPTIONS', details: { path } })
        await created.catch((error: Error) => expect(error.message).not.toContain('hunter2'))
      }
    })

    it('lists notifications oldest first, by page, type and customer', async () => {
      const h = await notificationHarness(t, 'ntf-list', {}, START)
      const a = await h.write('a', 'c1')
      const b = await h.write('b', 'c2', 'usage.threshold_reached')
      const c = await h.write('c', 'c1')
      expect(await h.write('a', 'c1')).toBe(a)
      const first = await h.billing.notifications.list({ customer_id: `${h.ns}c1`, limit: 1 })
      expect(first.data.map((n) => n.id)).toEqual([a])
      expect(first.has_more).toBe(true)
      expect(first.data[0]).toEqual({
        id: a,
        type: 'invoice.paid',
        created_at: new Date(START).toISOString(),
        customer_id: `${h.ns}c1`,
        data: { ns: h.ns, name: 'a', amount: 150_000 },
      })
      const next = await h.billing.notifications.list({
        customer_id: `${h.ns}c1`,
        limit: 1,
        cursor: first.next_cursor!,
      })
      expect(next).toMatchObject({ has_more: false, next_cursor: null })
      expect(next.data.map((n) => n.id)).toEqual([c])
      const after = await h.billing.notifications.list({ after: a, limit: 2 })
      expect(after.data.map((n) => n.id)).toEqual([b, c])
      const typed = await h.billing.notifications.list({ after: a, type: 'usage.threshold_reached' })
      expect(typed.data.map((n) => n.id)).toEqual([b])
      await expect(h.billing.notifications.list({ type: 'nope' as never })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { path: 'type' },
      })
    })

    it('delivers to the handler at least once, in order per customer, also from tick()', async () => {
      const seen: Notification[] = []
      const h = await notificationHarness(t, 'ntf-order', { handler: (n) => void seen.push(n) }, START)
      const ids = [
        await h.write('a1', 'ca'),
        await h.write('b1', 'cb'),
        await h.write('a2', 'ca'),
        await h.write('a3', 'ca'),
        await h.write('b2', 'cb'),
      ]
      const result = await h.billing.notifications.deliver()
      expect(result).toMatchObject({ failed: 0, parked: 0 })
      expect(result.delivered).toBeGreaterThanOrEqual(5)
      const mine = h.mine(seen)
      expect(mine.sort()).toEqual([...ids].sort())
      const ofA = seen.filter((n) => n.customer_id === `${h.ns}ca`).map((n) => n.id)
      expect(ofA).toEqual([ids[0], ids[2], ids[3]])
      expect(await h.billing.notifications.deliver()).toEqual({ delivered: 0, failed: 0, parked: 0 })
      // The store is shared: a first tick at this clock does the other tests' billing work that is
      // due (and delivers what it reports), so the next one has only this test's notification.
      await h.billing.tick()
      const later = await h.write('a4', 'ca')
      const ticked = await h.billing.tick()
      expect(ticked.notifications).toEqual({ delivered: 1, failed: 0, parked: 0 })
      expect(h.mine(seen).at(-1)).toBe(later)
      expect(await t.storage().notifications.deliveries(later)).toEqual([
        {
          notification_id: later,
          destination: 'handler',
          status: 'delivered',
          attempts: 1,
          next_attempt_at: null,
          last_error: null,
        },
      ])
    })

    it('retries a throwing handler with backoff, parks it after maxAttempts, then redelivers', async () => {
      const seen: Notification[] = []
      let down = true
      const h = await notificationHarness(
        t,
        'ntf-retry',
        {
          maxAttempts: 3,
          retryBaseMs: MINUTE,
          handler: (n) => {
            if (down && n.data.ns === ns) throw new Error('mail server down')
            seen.push(n)
          },
        },
        START + 10 * MINUTE,
      )
      const ns = h.ns
      const first = await h.write('1', 'c')
      const second = await h.write('2', 'c')
      const other = await h.write('3', 'd')
      expect(await h.billing.notifications.deliver()).toMatchObject({ failed: 2, parked: 0 })
      const [state] = await t.storage().notifications.deliveries(first)
      expect(state).toMatchObject({
        status: 'pending',
        attempts: 1,
        next_attempt_at: h.now() + MINUTE,
        last_error: 'handler threw Error: mail server down',
      })
      expect(await h.billing.notifications.deliver()).toMatchObject({ failed: 0, parked: 0 })
      h.advance(MINUTE)
      expect(await h.billing.notifications.deliver()).toMatchObject({ failed: 2, parked: 0 })
      expect((await t.storage().notifications.deliveries(first))[0]).toMatchObject({
        attempts: 2,
        next_attempt_at: h.now() + 2 * MINUTE,
      })
      h.advance(2 * MINUTE - 1)
      expect(await h.billing.notifications.deliver()).toMatchObject({ failed: 0, parked: 0 })
      h.advance(1)
      expect(await h.billing.notifications.deliver()).toMatchObject({ failed: 0, parked: 2 })
      expect((await t.storage().notifications.deliveries(first))[0]).toMatchObject({
        status: 'failed',
        attempts: 3,
        next_attempt_at: null,
        last_error: 'handler threw Error: mail server down',
      })
      // The parked one holds its customer's later notification back.
      const held = await t.storage().notifications.deliveries(second)
      expect(held.filter((d) => d.status !== 'pending' || d.attempts > 0)).toEqual([])
      down = false
      h.advance(HOURS_6)
      expect(await h.billing.notifications.deliver()).toMatchObject({ failed: 0, parked: 0 })
      expect(h.mine(seen)).toEqual([])
      expect(await h.billing.notifications.redeliver({ destination: 'handler', ids: [first] })).toEqual({
        redelivered: 1,
      })
      await h.billing.notifications.deliver()
      expect(h.mine(seen)).toEqual([first, second])
      expect(await h.billing.notifications.redeliver({ ids: [other] })).toEqual({ redelivered: 1 })
      await h.billing.notifications.deliver()
      expect(h.mine(seen)).toEqual([first, second, other])
      await expect(
        h.billing.notifications.redeliver({ destination: 'webhook:nowhere' }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        details: { path: 'destination' },
      })
    })
  })
}

const HOURS_6 = 6 * 60 * MINUTE
