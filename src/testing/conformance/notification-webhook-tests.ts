import { afterAll, describe, expect } from 'vitest'
import { verifyWebhook } from '../../webhooks/verify-webhook.js'
import type { ConformanceContext } from './context.js'
import { notificationHarness } from './notification-fixture.js'
import { startReceiver, type TestReceiver } from './notification-receiver.js'

const START = Date.UTC(2026, 7, 1)
const SECRET = 'whsec_a29ib21ldGVyLXRlc3QtZW5kcG9pbnQta2V5LTQy'

/** Webhook destinations: signed POSTs a receiver verifies; redirects, errors and hangs fail cleanly. */
export function notificationWebhookTests(t: ConformanceContext): void {
  const { it } = t
  describe('notification webhooks', () => {
    const receivers: TestReceiver[] = []
    const receiver = async (behaviour: Parameters<typeof startReceiver>[0]) => {
      const r = await startReceiver(behaviour)
      receivers.push(r)
      return r
    }
    afterAll(async () => {
      await Promise.all(receivers.map((r) => r.close()))
    })

    it('posts signed notifications the receiver verifies with verifyWebhook, filtered by type', async () => {
      const r = await receiver({ status: 204 })
      const h = await notificationHarness(
        t,
        'hook-ok',
        { webhooks: [{ url: r.url, secret: SECRET, types: ['invoice.*'] }] },
        START,
      )
      const paid = await h.write('paid', 'c')
      const usage = await h.write('usage', 'c', 'usage.threshold_reached')
      const finalized = await h.write('final', 'c', 'invoice.finalized')
      const result = await h.billing.notifications.deliver()
      expect(result).toMatchObject({ failed: 0, parked: 0 })
      const verified = r.received.map((req) => verifyWebhook(req.body, req.headers, SECRET, { now: h.now() }))
      expect(h.mine(verified)).toEqual([paid, finalized])
      const one = verified.find((n) => n.id === paid)!
      expect(one).toEqual({
        id: paid,
        type: 'invoice.paid',
        created_at: new Date(START).toISOString(),
        customer_id: `${h.ns}c`,
        data: { ns: h.ns, name: 'paid', amount: 150_000 },
      })
      const request = r.received.find((req) => req.headers['webhook-id'] === paid)!
      expect(request.headers['content-type']).toBe('application/json')
      expect(request.headers['webhook-timestamp']).toBe(String(Math.floor(h.now() / 1000)))
      // A tampered body, a wrong secret, or a receiver's clock ten minutes on: refused.
      expect(() =>
        verifyWebhook(request.body.replace('paid', 'Paid'), request.headers, SECRET, { now: h.now() }),
      ).toThrow(expect.objectContaining({ code: 'SIGNATURE_VERIFICATION_FAILED' }))
      const otherSecret = 'whsec_b3RoZXIta2V5LW9mLWFub3RoZXItZW5kcG9pbnQ='
      expect(() => verifyWebhook(request.body, request.headers, otherSecret, { now: h.now() })).toThrow(
        expect.objectContaining({ code: 'SIGNATURE_VERIFICATION_FAILED' }),
      )
      expect(() =>
        verifyWebhook(request.body, request.headers, SECRET, { now: h.now() + 10 * 60_000 }),
      ).toThrow(expect.objectContaining({ code: 'SIGNATURE_VERIFICATION_FAILED' }))
      expect(() => verifyWebhook(request.body, {}, SECRET, { now: h.now() })).toThrow(
        expect.objectContaining({ code: 'SIGNATURE_VERIFICATION_FAILED' }),
      )
      const destination = `webhook:${r.url}`
      for (const id of [paid, usage, finalized])
        expect(
          (await t.storage().notifications.deliveries(id)).find((d) => d.destination === destination),
        ).toMatchObject({
          status: 'delivered',
        })
    })

    it('fails cleanly on a redirect, an error answer and a receiver that never answers, without the secret', async () => {
      const target = await receiver({ status: 200 })
      const redirecting = await receiver({ status: 302, location: target.url })
      const failing = await receiver({ status: 500 })
      const hanging = await receiver('hang')
      const h = await notificationHarness(
        t,
        'hook-bad',
        {
          // Long enough for a loaded machine to answer the failing receiver; the hanging one still times out.
          timeoutMs: 1_500,
          leaseMs: 5_000,
          webhooks: [redirecting, failing, hanging].map((r) => ({
            url: r.url,
            secret: SECRET,
            types: ['payment.refunded'],
          })),
        },
        START,
      )
      const id = await h.write('refund', 'c', 'payment.refunded')
      const started = Date.now()
      const result = await h.billing.notifications.deliver()
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(result).toMatchObject({ delivered: 0, parked: 0 })
      expect(result.failed).toBeGreaterThanOrEqual(3)
      expect(target.received).toEqual([])
      const states = await t.storage().notifications.deliveries(id)
      const errorAt = (r: TestReceiver) =>
        states.find((d) => d.destination === `webhook:${r.url}`)?.last_error
      expect(errorAt(redirecting)).toBe('redirect refused (HTTP 302)')
      expect(errorAt(failing)).toBe('HTTP 500')
      expect(errorAt(hanging)).toBe('timed out after 1500 ms')
      for (const state of states) {
        expect(state).toMatchObject({ status: 'pending', attempts: 1 })
        expect(JSON.stringify(state)).not.toContain(SECRET.slice(6))
      }
    })
  })
}
