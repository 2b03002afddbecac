import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiRoutes } from '../../src/http/routes/index.js'
import { compileRoute } from '../../src/http/run-route.js'
import { call, type HttpFixture, httpFixture, type Transport } from './http-fixture.js'

const compiled = apiRoutes.map((route) => compileRoute(route, ''))

/** The route a request reached, as `METHOD /path/{param}`. */
function routeOf(method: string, path: string): string {
  const pathname = new URL(path, 'http://x').pathname
  const found = compiled.find((c) => c.route.method === method && c.pattern.test(pathname))
  return found === undefined ? `${method} ${pathname} (no route)` : `${method} ${found.route.path}`
}

// Every route, through a real node:http server (on SQLite) and through `api.fetch` (in memory).
describe.each([
  ['node:http', 'sqlite'],
  ['fetch', 'memory'],
] as const)('every route over %s (%s storage)', (transport: Transport, storage) => {
  let f: HttpFixture
  const reached = new Set<string>()
  const json = async (method: string, path: string, body?: unknown, status = 200) => {
    reached.add(routeOf(method, path))
    const response = await f.send({ method, path, ...(body === undefined ? {} : { json: body }) })
    const text = await response.text()
    expect({ status: response.status, body: text.slice(0, 400) }).toMatchObject({ status })
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    return JSON.parse(text)
  }

  beforeAll(async () => {
    f = await httpFixture(transport, { storage })
  })
  afterAll(() => f.close())

  it('ingests events, each on its own, and reads them back as events, usage and entitlements', async () => {
    const result = await json('POST', '/v1/events', {
      events: [
        call('req_1', { timestamp: 1_794_740_400_000 }),
        call('req_2', { timestamp: '2026-11-15T11:59:59.123456789Z' }),
        call(''),
      ],
    })
    expect(result).toMatchObject({ accepted: 2, rejected: 1 })
    expect(result.results[2]).toMatchObject({
      status: 'rejected',
      error: { code: 'INVALID_IDEMPOTENCY_KEY' },
    })
    const events = await json('GET', '/v1/events?customer_id=cus_1&limit=10')
    expect(events.data.map((e: { idempotency_key: string }) => e.idempotency_key).sort()).toEqual([
      'req_1',
      'req_2',
    ])
    const usage = await json(
      'GET',
      '/v1/usage?customer_id=cus_1&meter=api_calls&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z',
    )
    expect(usage).toMatchObject({ quantity: 2, precise_quantity: '2' })
    expect((await json('GET', '/v1/meters')).data).toHaveLength(2)
    const check = await json('GET', '/v1/entitlements/check?customer_id=cus_1&meter=api_calls&quantity=5')
    expect(check).toMatchObject({ allowed: true, used: 2, limit: 100, remaining: 98 })
    const held = await json('POST', '/v1/entitlements/reservations', {
      customer_id: 'cus_1',
      meter: 'api_calls',
      quantity: 10,
      idempotency_key: 'hold_1',
    })
    expect(held).toMatchObject({ allowed: true, quantity: 10 })
    const released = await json('POST', `/v1/entitlements/reservations/${held.id}/release`)
    expect(released).toEqual({ id: held.id, status: 'released' })
  })

  it('manages customers, reads plans, and runs a subscription through a plan change and a cancellation', async () => {
    expect(await json('POST', '/v1/customers', { id: 'cus_2', email: 'bo@example.ng' })).toMatchObject({
      id: 'cus_2',
    })
    expect((await json('GET', '/v1/customers?limit=1')).has_more).toBe(true)
    expect(await json('GET', '/v1/customers/cus_2')).toMatchObject({ email: 'bo@example.ng', name: null })
    expect(await json('POST', '/v1/customers/cus_2', { name: 'Bo' })).toMatchObject({ name: 'Bo' })
    expect((await json('GET', '/v1/plans')).data.map((p: { code: string }) => p.code)).toEqual(['starter'])
    expect(await json('GET', '/v1/plans/starter?version=1')).toMatchObject({ code: 'starter', version: 1 })
    await f.billing.plans.create({
      code: 'pro',
      name: 'Pro',
      currency: 'NGN',
      interval: 'month',
      charges: [],
    })
    const sub = await json('POST', '/v1/subscriptions', { customer_id: 'cus_2', plan_code: 'starter' })
    expect((await json('GET', '/v1/subscriptions?customer_id=cus_2')).data).toHaveLength(1)
    expect(await json('GET', `/v1/subscriptions/${sub.id}`)).toMatchObject({ status: 'active' })
    const changed = await json('POST', `/v1/subscriptions/${sub.id}/change_plan`, { plan_code: 'pro' })
    expect(changed.pending_change).toMatchObject({ plan_code: 'pro' })
    expect(await json('POST', `/v1/subscriptions/${sub.id}/cancel`, { at_period_end: true })).toMatchObject({
      cancel_at_period_end: true,
    })
  })

  it('closes a period into an invoice: JSON, HTML, payment, void; alerts; notifications', async () => {
    const preview = await json('GET', '/v1/invoices/upcoming?customer_id=cus_1')
    expect(preview).toMatchObject({ status: 'preview', total: 100 })
    f.setNow(Date.parse('2026-12-01T02:00:00Z'))
    await f.billing.invoices.run()
    const invoices = await json('GET', '/v1/invoices?customer_id=cus_1&status=open')
    const invoice = invoices.data.find(
      (i: { period_end: string }) => i.period_end === '2026-12-01T00:00:00.000Z',
    )
    expect(invoice).toMatchObject({ customer_id: 'cus_1', total: 100, amount_due: 100 })
    // Due at finalization (no due days): past due a millisecond later, not at the same instant.
    expect((await json('GET', '/v1/invoices?customer_id=cus_1&past_due=true')).data).toEqual([])
    f.setNow(Date.parse('2026-12-01T02:00:01Z'))
    const overdue = await json('GET', '/v1/invoices?customer_id=cus_1&past_due=true')
    expect(overdue.data.map((i: { id: string }) => i.id)).toContain(invoice.id)
    expect((await json('GET', '/v1/invoices?past_due=yes', undefined, 400)).error.code).toBe('INVALID_QUERY')
    expect(await json('GET', `/v1/invoices/${invoice.id}`)).toMatchObject({ number: invoice.number })
    reached.add(routeOf('GET', `/v1/invoices/${invoice.id}.html`))
    const html = await f.send({ path: `/v1/invoices/${invoice.id}.html` })
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toMatch(/^text\/html/)
    expect(html.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(await html.text()).toContain(invoice.number)
    const noCard = await json('POST', `/v1/invoices/${invoice.id}/pay`, undefined, 409)
    expect(noCard.error.code).toBe('NO_PAYMENT_METHOD')
    const paid = await f.billing.payments.recordOffline({
      invoice_id: invoice.id,
      amount: 100,
      method: 'bank_transfer',
      reference: `trf_${transport}`,
    })
    expect((await json('GET', `/v1/payments?invoice_id=${invoice.id}`)).data).toHaveLength(1)
    expect(await json('GET', `/v1/payments/${paid.id}`)).toMatchObject({ status: 'succeeded', amount: 100 })
    const refund = await json('POST', `/v1/payments/${paid.id}/refund`, { amount: 50 }, 422)
    expect(refund.error.code).toBe('INVALID_REFUND')
    const paidInvoice = await json('POST', `/v1/invoices/${invoice.id}/void`, undefined, 409)
    expect(paidInvoice.error.message).toMatch(/paid/)

    const topUp = await json('POST', '/v1/top_ups', { customer_id: 'cus_1', meter: 'api_calls' }, 422)
    expect(topUp.error).toMatchObject({ code: expect.any(String), message: expect.any(String) })
    const checkout = await json(
      'POST',
      '/v1/checkout',
      {
        invoice_id: invoice.id,
        gateway: 'paystack',
        callback_url: 'https://example.ng/done',
      },
      422,
    )
    expect(checkout.error.code).toBe('GATEWAY_NOT_CONFIGURED')

    const alert = await json('POST', '/v1/alerts', { meter: 'api_calls', thresholds: [{ percent: 80 }] })
    expect((await json('GET', '/v1/alerts')).data.map((a: { id: string }) => a.id)).toEqual([alert.id])
    expect(await json('GET', `/v1/alerts/${alert.id}`)).toMatchObject({ meter: 'api_calls' })
    expect(await json('DELETE', `/v1/alerts/${alert.id}`)).toEqual({ id: alert.id, deleted: true })
    const notes = await json('GET', '/v1/notifications?type=invoice.finalized&customer_id=cus_1')
    expect(notes.data[0]).toMatchObject({ type: 'invoice.finalized', customer_id: 'cus_1' })

    const hook = await json('POST', '/v1/webhooks/paystack', { event: 'charge.success' }, 422)
    expect(hook.error.code).toBe('GATEWAY_NOT_CONFIGURED')
  })

  it('reached every route of the API in the tests above', () => {
    expect([...reached].sort()).toEqual(apiRoutes.map((r) => `${r.method} ${r.path}`).sort())
  })
})
