import type { Context, Hono } from 'hono'
import { BillingError, ErrorCode } from '../core/errors.js'
import type { VerifiedSession } from '../core/sessions/types.js'
import type { DashboardContext } from './dashboard-options.js'
import { randomToken, readForm } from './forms.js'
import { html } from './html.js'
import { plainPage } from './layout.js'
import { sseResponse } from './live-hub.js'
import { customerPoll } from './live-polls.js'
import { currentSubscription, customerMeters, previewOrNull } from './loaders/customer-data.js'
import { invoiceRender } from './operator-routes.js'
import { pageResponse, redirect } from './page-response.js'
import { portalContent } from './pages/portal-page.js'

/**
 * The customer portal under `<base>/dashboard/portal/<token>`: the token in the link is the
 * session (no cookie, so the page works inside another site's iframe), verified on every request
 * as a portal session, and everything read or done is for that session's customer alone.
 *
 * @example
 * portalRoutes(app, dashboardContext)
 */
export function portalRoutes(app: Hono, dc: DashboardContext): void {
  const { billing } = dc
  const root = `${dc.base}/portal/:token`
  const frame = {
    frameAncestors: ['self', ...(dc.options.portalFrameAncestors ?? [])].map((o) =>
      o === 'self' ? "'self'" : o,
    ),
    referrer: 'no-referrer',
  }
  const expired = () =>
    pageResponse(
      plainPage(
        dc.base,
        'Link expired',
        html`<h1>This link has expired</h1><p>Ask for a new one where you found it.</p>`,
      ),
      {
        ...frame,
        status: 404,
      },
    )

  const portal = async (c: Context): Promise<VerifiedSession | null> =>
    billing.sessions.verify({ token: c.req.param('token'), kind: 'portal' })
  const here = (c: Context) => `${dc.base}/portal/${encodeURIComponent(c.req.param('token') ?? '')}`

  app.get(root, async (c) => {
    const s = await portal(c)
    if (s === null || s.customer_id === null) return expired()
    const now = dc.now()
    const customer = await billing.customers.get(s.customer_id)
    const sub = await currentSubscription(billing, s.customer_id)
    const [meters, preview, invoices] = await Promise.all([
      customerMeters(billing, s.customer_id, sub, now),
      previewOrNull(billing, s.customer_id),
      billing.invoices.list({ customer_id: s.customer_id, limit: 24 }),
    ])
    const content = portalContent(here(c), s.csrf_token, {
      customer,
      returnUrl: s.return_url,
      meters,
      preview,
      invoices: invoices.data.filter((i) => i.status !== 'draft'),
    })
    return pageResponse(plainPage(dc.base, customer.name ?? customer.id, content, `${here(c)}/live`), frame)
  })

  app.get(`${root}/invoices/:id`, async (c) => {
    const s = await portal(c)
    if (s === null) return expired()
    const invoice = await billing.invoices.get(c.req.param('id')).catch(() => null)
    // Another customer's invoice is answered exactly as one that does not exist.
    if (invoice === null || invoice.customer_id !== s.customer_id || invoice.status === 'draft')
      return expired()
    return invoiceRender(await billing.invoices.render(invoice.id, { format: 'html' }))
  })

  app.get(`${root}/live`, async (c) => {
    const s = await portal(c)
    if (s === null || s.customer_id === null) return new Response(null, { status: 404 })
    const id = s.customer_id
    return sseResponse(dc.hub, `customer:${id}`, () => customerPoll(billing, id, dc.now), c.req.raw.signal)
  })

  const post =
    (
      run: (
        s: VerifiedSession & { customer_id: string },
        form: Map<string, string>,
        c: Context,
      ) => Promise<Response>,
    ) =>
    async (c: Context) => {
      const s = await portal(c)
      if (s === null || s.customer_id === null) return expired()
      try {
        const form = await readForm(c.req.raw)
        if (!(await billing.sessions.verifyCsrf(s, form.get('csrf'))))
          throw new BillingError(ErrorCode.FORBIDDEN, 'the form is stale: reload the page', {})
        return await run(s as VerifiedSession & { customer_id: string }, form, c)
      } catch (error) {
        // The customer sees what went wrong in words, on a page with a way back; a storage outage
        // stays a 503 for the server's own error handling.
        if (!(error instanceof BillingError) || error.code === 'STORAGE_UNAVAILABLE') throw error
        const body = html`<h1>That did not work</h1><p class="error" role="alert">${error.message}</p><p><a href="${here(c)}">Back</a></p>`
        return pageResponse(plainPage(dc.base, 'Error', body), {
          ...frame,
          status: error.code === 'FORBIDDEN' ? 403 : 422,
        })
      }
    }

  const pay = async (invoice_id: string) => {
    const checkout = dc.options.checkout
    if (checkout === undefined)
      throw new BillingError(
        ErrorCode.CHECKOUT_NOT_SUPPORTED,
        'online payment is not set up: contact us to pay',
        {},
      )
    const link = await billing.checkout.create({
      invoice_id,
      gateway: checkout.gateway,
      callback_url: checkout.callbackUrl,
    })
    return redirect(link.url)
  }

  app.post(
    `${root}/pay`,
    post(async (s, form) => {
      const invoice = await billing.invoices.get(form.get('invoice_id') ?? '').catch(() => null)
      if (invoice === null || invoice.customer_id !== s.customer_id) return expired()
      return pay(invoice.id)
    }),
  )
  app.post(
    `${root}/top-up`,
    post(async (s, form, c) => {
      const invoice = await billing.topUps.create({
        customer_id: s.customer_id,
        meter: form.get('meter') ?? '',
        blocks: 1,
        idempotency_key: `portal:${form.get('request_id') ?? randomToken()}`,
      })
      if (invoice.status === 'open' && invoice.amount_due > invoice.amount_paid) return pay(invoice.id)
      return redirect(here(c))
    }),
  )
}
