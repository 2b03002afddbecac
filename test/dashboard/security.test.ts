import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Client } from './dashboard-client.js'
import { type DashboardFixture, dashboardFixture } from './dashboard-fixture.js'

describe('dashboard sessions, CSRF and escaping', () => {
  let f: DashboardFixture
  beforeAll(async () => {
    f = await dashboardFixture()
  }, 60_000)
  afterAll(() => f.close())

  it('sends every page of an operator without a session to sign in, and serves no data', async () => {
    const anonymous = new Client(f.url)
    for (const path of [
      '/dashboard',
      '/dashboard/customers',
      '/dashboard/customers/cus_acme',
      '/dashboard/invoices',
    ]) {
      const response = await anonymous.send(path)
      expect(response.status).toBe(303)
      expect(response.headers.get('location')).toBe('/dashboard/sign-in')
    }
    expect((await anonymous.send('/dashboard/live')).status).toBe(401)
  })

  it('signs in only with the form token of its own sign-in page, and mints a new session each time (no fixation)', async () => {
    const client = new Client(f.url)
    const forged = await client.send('/dashboard/sign-in', { form: { csrf: 'guess', key: f.adminKey } })
    expect(forged.status).toBe(403)
    const planted = 'kbm_os_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
    client.cookies.set('kbm_session', planted)
    expect((await client.signIn(f.adminKey)).status).toBe(303)
    const first = client.cookies.get('kbm_session')
    expect(first).toMatch(/^kbm_os_/)
    expect(first).not.toBe(planted)
    await client.signIn(f.adminKey)
    expect(client.cookies.get('kbm_session')).not.toBe(first)
    expect((await client.send('/dashboard')).status).toBe(200)
  })

  it('refuses a post without the session CSRF token, or from another site', async () => {
    const client = new Client(f.url)
    await client.signIn(f.adminKey)
    const csrf = await client.csrf('/dashboard/customers/cus_bolt')
    const cancel = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      client.send('/dashboard/customers/cus_bolt/cancel', { form, headers })
    const sub = (await f.billing.subscriptions.list({ customer_id: 'cus_bolt' })).data[0]!
    expect((await cancel({ subscription_id: sub.id })).status).toBe(403)
    expect((await cancel({ subscription_id: sub.id, csrf: `${csrf}x` })).status).toBe(403)
    expect((await cancel({ subscription_id: sub.id, csrf }, { origin: 'https://evil.example' })).status).toBe(
      403,
    )
    expect((await cancel({ subscription_id: sub.id, csrf }, { 'sec-fetch-site': 'cross-site' })).status).toBe(
      403,
    )
    expect((await f.billing.subscriptions.get(sub.id)).cancel_at_period_end).toBe(false)
    expect((await cancel({ subscription_id: sub.id, csrf })).status).toBe(303)
    expect((await f.billing.subscriptions.get(sub.id)).cancel_at_period_end).toBe(true)
  })

  it('signs out for good: the old cookie no longer opens a page', async () => {
    const client = new Client(f.url)
    await client.signIn(f.adminKey)
    const token = client.cookies.get('kbm_session')!
    await client.send('/dashboard/sign-out', { form: { csrf: await client.csrf('/dashboard') } })
    const replay = new Client(f.url)
    replay.cookies.set('kbm_session', token)
    expect((await replay.send('/dashboard')).status).toBe(303)
  })

  it('escapes what it renders and sends headers that keep pages unframed and scripts local', async () => {
    const client = new Client(f.url)
    await client.signIn(f.adminKey)
    const response = await client.send('/dashboard/customers/cus_xss')
    const page = await response.text()
    expect(page).not.toContain('<script>alert')
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;')
    expect(page).not.toContain(f.adminKey)
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    const search = await (
      await client.send(`/dashboard/customers?q=${encodeURIComponent("%' OR 1=1 --")}`)
    ).text()
    expect(search).toContain('No customers match')
  })

  it('gives a portal link only its customer: other invoices, operator pages and other kinds of token fail', async () => {
    const { url } = await f.billing.portal.createSession({ customer_id: 'cus_bolt' })
    const portal = new Client(f.url)
    const page = await portal.send(url)
    expect(page.status).toBe(200)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self'")
    const text = await page.text()
    expect(text).toContain('Bolt Pay')
    expect(text).not.toContain('Acme')
    const acme = (await f.billing.invoices.list({ customer_id: 'cus_acme' })).data[0]!
    expect((await portal.send(`${url}/invoices/${acme.id}`)).status).toBe(404)
    const bolt = (await f.billing.invoices.list({ customer_id: 'cus_bolt' })).data.find(
      (i) => i.status !== 'draft',
    )!
    expect((await portal.send(`${url}/invoices/${bolt.id}`)).status).toBe(200)
    const token = url.split('/').at(-1)!
    const asOperator = new Client(f.url)
    asOperator.cookies.set('kbm_session', token)
    expect((await asOperator.send('/dashboard')).status).toBe(303)
    const pay = await portal.send(`${url}/pay`, { form: { csrf: 'stale', invoice_id: bolt.id } })
    expect(pay.status).toBe(403)
    expect(pay.headers.get('content-type')).toMatch(/^text\/html/)
    const csrf = /name="csrf" value="([^"]+)"/.exec(text)?.[1] ?? ''
    const noCheckout = await portal.send(`${url}/pay`, { form: { csrf, invoice_id: bolt.id } })
    expect(noCheckout.status).toBe(422)
    expect(await noCheckout.text()).toContain('online payment is not set up')
    const operator = new Client(f.url)
    await operator.signIn(f.adminKey)
    expect((await operator.send(`/dashboard/portal/${operator.cookies.get('kbm_session')}`)).status).toBe(404)
  })
})
