import type { Context, Hono } from 'hono'
import { BillingError, ErrorCode, NotFoundError } from '../core/errors.js'
import { sameSecret } from '../core/same-secret.js'
import {
  clearedSessionCookie,
  cookieValue,
  sessionCookie,
  sessionTokenFromCookies,
} from '../core/sessions/session-cookie.js'
import type { VerifiedSession } from '../core/sessions/types.js'
import type { DashboardContext } from './dashboard-options.js'
import { randomToken, readForm } from './forms.js'
import { html, type SafeHtml } from './html.js'
import { operatorPage, plainPage, type Section } from './layout.js'
import { sseResponse } from './live-hub.js'
import { customerPoll, overviewPoll } from './live-polls.js'
import { customerData } from './loaders/customer-data.js'
import { overviewData } from './loaders/overview-data.js'
import { pageResponse, redirect } from './page-response.js'
import { customerContent } from './pages/customer-page.js'
import { customersContent, invoiceContent, invoicesContent, signInContent } from './pages/list-pages.js'
import { overviewContent } from './pages/overview-page.js'

const SIGN_IN_COOKIE = 'kbm_signin'
const REFUSALS: Record<string, string> = {
  missing: 'Enter an admin API key.',
  invalid: 'That is not a valid API key.',
  revoked: 'That API key was revoked.',
  expired: 'That API key has expired.',
  forbidden: 'That API key cannot sign in: it needs the admin scope.',
}

function secure(dc: DashboardContext, request: Request): boolean {
  return dc.options.secureCookies ?? new URL(request.url).protocol === 'https:'
}

function signInPage(dc: DashboardContext, request: Request, error: string | null, status = 200): Response {
  const nonce = randomToken()
  const cookie = `${SIGN_IN_COOKIE}=${nonce}; Max-Age=600; Path=${dc.base}/sign-in; HttpOnly; SameSite=Strict${secure(dc, request) ? '; Secure' : ''}`
  return pageResponse(plainPage(dc.base, 'Sign in', signInContent(dc.base, nonce, error)), {
    status,
    headers: { 'set-cookie': cookie },
  })
}

async function session(dc: DashboardContext, request: Request): Promise<VerifiedSession | null> {
  const token = sessionTokenFromCookies(request.headers.get('cookie'))
  return token === null ? null : dc.billing.sessions.verify({ token, kind: 'operator' })
}

/** A form post of a signed-in operator: the session and the form, its CSRF token checked. */
async function postedForm(dc: DashboardContext, request: Request) {
  const signedIn = await session(dc, request)
  if (signedIn === null) throw new BillingError(ErrorCode.UNAUTHENTICATED, 'sign in again', {})
  const form = await readForm(request)
  if (!(await dc.billing.sessions.verifyCsrf(signedIn, form.get('csrf'))))
    throw new BillingError(
      ErrorCode.FORBIDDEN,
      'the form is stale or not from this dashboard: reload the page',
      {},
    )
  return { signedIn, form }
}

function messagePage(
  dc: DashboardContext,
  s: VerifiedSession,
  title: string,
  body: SafeHtml,
  status: number,
): Response {
  return pageResponse(operatorPage({ base: dc.base, title, section: null, csrf: s.csrf_token }, body), {
    status,
  })
}

/** Answers a failed page or action as a page: 404 for what does not exist, the error's words otherwise. */
function failure(dc: DashboardContext, s: VerifiedSession | null, error: unknown): Response {
  if (!(error instanceof BillingError) || error.code === 'STORAGE_UNAVAILABLE') throw error
  const status = error instanceof NotFoundError ? 404 : error.code === 'FORBIDDEN' ? 403 : 422
  const body = html`<h1>${status === 404 ? 'Not found' : 'That did not work'}</h1><p class="error" role="alert">${error.message}</p><p><a href="${dc.base}">Back to the overview</a></p>`
  if (s === null) return pageResponse(plainPage(dc.base, 'Error', body), { status })
  return messagePage(dc, s, 'Error', body, status)
}

type Page = (
  s: VerifiedSession,
  c: Context,
) => Promise<{ title: string; section: Section | null; content: SafeHtml; live?: string }>

function page(dc: DashboardContext, render: Page) {
  return async (c: Context) => {
    const s = await session(dc, c.req.raw)
    if (s === null) return redirect(`${dc.base}/sign-in`)
    try {
      const { title, section, content, live } = await render(s, c)
      return pageResponse(
        operatorPage(
          { base: dc.base, title, section, csrf: s.csrf_token, ...(live === undefined ? {} : { live }) },
          content,
        ),
      )
    } catch (error) {
      return failure(dc, s, error)
    }
  }
}

function action(
  dc: DashboardContext,
  run: (form: Map<string, string>, c: Context, s: VerifiedSession) => Promise<Response>,
) {
  return async (c: Context) => {
    let s: VerifiedSession | null = null
    try {
      const posted = await postedForm(dc, c.req.raw)
      s = posted.signedIn
      return await run(posted.form, c, s)
    } catch (error) {
      if (s === null && error instanceof BillingError && error.code === 'UNAUTHENTICATED')
        return redirect(`${dc.base}/sign-in`)
      return failure(dc, s, error)
    }
  }
}

/**
 * The operator's pages and actions under `<base>/dashboard`: sign-in with an `admin` API key,
 * the overview, customers, invoices, the live stream, and the actions of a customer's page. Every
 * page needs a session; every form carries the session's CSRF token.
 *
 * @example
 * operatorRoutes(app, dashboardContext)
 */
export function operatorRoutes(app: Hono, dc: DashboardContext): void {
  const { billing, base } = dc
  app.get(`${base}/sign-in`, (c) => signInPage(dc, c.req.raw, null))
  app.post(`${base}/sign-in`, async (c) => {
    const form = await readForm(c.req.raw)
    const nonce = cookieValue(c.req.header('cookie'), SIGN_IN_COOKIE)
    if (nonce === null || !sameSecret(nonce, form.get('csrf')))
      return signInPage(dc, c.req.raw, 'The sign-in form expired: try again.', 403)
    const signed = await billing.sessions.signIn({ api_key_secret: form.get('key') ?? '' })
    if ('error' in signed) return signInPage(dc, c.req.raw, REFUSALS[signed.error] ?? 'Sign-in refused.', 401)
    const cookie = sessionCookie({
      token: signed.token,
      expires_at: signed.session.expires_at,
      secure: secure(dc, c.req.raw),
      base_path: dc.basePath,
    })
    return redirect(base === '' ? '/' : base, { 'set-cookie': cookie })
  })
  app.post(
    `${base}/sign-out`,
    action(dc, async (_form, c) => {
      await billing.sessions.signOut(sessionTokenFromCookies(c.req.header('cookie') ?? null))
      return redirect(`${base}/sign-in`, {
        'set-cookie': clearedSessionCookie({ secure: secure(dc, c.req.raw), base_path: dc.basePath }),
      })
    }),
  )

  app.get(
    base,
    page(dc, async () => ({
      title: 'Overview',
      section: 'overview',
      content: overviewContent(base, await overviewData(billing, dc.now(), dc.reads, dc.accruing)),
      live: `${base}/live`,
    })),
  )
  app.get(
    `${base}/customers`,
    page(dc, async (_s, c) => {
      const q = (c.req.query('q') ?? '').trim().slice(0, 200)
      const cursor = c.req.query('cursor')
      const query = { limit: 50, ...(cursor === undefined ? {} : { cursor }) }
      const found =
        q === ''
          ? await billing.customers.list(query)
          : await billing.customers.search({ query: q, ...query })
      return {
        title: 'Customers',
        section: 'customers',
        content: customersContent(base, { query: q, customers: found.data, next_cursor: found.next_cursor }),
      }
    }),
  )
  app.get(
    `${base}/customers/:id`,
    page(dc, async (s, c) => {
      const id = c.req.param('id') ?? ''
      const data = await customerData(billing, id, dc.now())
      return {
        title: data.customer.name ?? data.customer.id,
        section: 'customers',
        content: customerContent(base, s.csrf_token, data),
        live: `${base}/live?customer_id=${encodeURIComponent(id)}`,
      }
    }),
  )
  app.get(
    `${base}/invoices`,
    page(dc, async (_s, c) => {
      const status = c.req.query('status') || undefined
      const customer_id = c.req.query('customer_id') || undefined
      const cursor = c.req.query('cursor')
      const found = await billing.invoices.list({
        limit: 50,
        // "past_due" is the list's own filter (open and due before now), not a stored status.
        ...(status === undefined
          ? {}
          : status === 'past_due'
            ? { past_due: true }
            : { status: status as 'open' }),
        ...(customer_id === undefined ? {} : { customer_id }),
        ...(cursor === undefined ? {} : { cursor }),
      })
      return {
        title: 'Invoices',
        section: 'invoices',
        content: invoicesContent(
          base,
          dc.now(),
          { status, customer_id },
          { invoices: found.data, next_cursor: found.next_cursor },
        ),
      }
    }),
  )
  app.get(
    `${base}/invoices/:id`,
    page(dc, async (_s, c) => {
      const invoice = await billing.invoices.get(c.req.param('id') ?? '')
      const payments = await billing.payments.list({ invoice_id: invoice.id, limit: 50 })
      return {
        title: invoice.number ?? invoice.id,
        section: 'invoices',
        content: invoiceContent(base, invoice, payments.data),
      }
    }),
  )
  app.get(`${base}/invoices/:id/render`, async (c) => {
    const s = await session(dc, c.req.raw)
    if (s === null) return redirect(`${base}/sign-in`)
    try {
      return invoiceRender(await billing.invoices.render(c.req.param('id'), { format: 'html' }))
    } catch (error) {
      return failure(dc, s, error)
    }
  })
  app.get(`${base}/live`, async (c) => {
    const s = await session(dc, c.req.raw)
    if (s === null) return new Response(null, { status: 401 })
    const customer = c.req.query('customer_id')
    if (customer === undefined)
      return sseResponse(dc.hub, 'overview', () => overviewPoll(billing, dc.now), c.req.raw.signal)
    return sseResponse(
      dc.hub,
      `customer:${customer}`,
      () => customerPoll(billing, customer, dc.now),
      c.req.raw.signal,
    )
  })

  app.post(
    `${base}/customers/:id/top-up`,
    action(dc, async (form, c) => {
      const customer_id = c.req.param('id') ?? ''
      await billing.topUps.create({
        customer_id,
        meter: form.get('meter') ?? '',
        blocks: 1,
        idempotency_key: `dashboard:${form.get('request_id') ?? randomToken()}`,
      })
      return redirect(`${base}/customers/${encodeURIComponent(customer_id)}`)
    }),
  )
  app.post(
    `${base}/customers/:id/cancel`,
    action(dc, async (form, c) => {
      await billing.subscriptions.cancel(form.get('subscription_id') ?? '', { at_period_end: true })
      return redirect(`${base}/customers/${encodeURIComponent(c.req.param('id') ?? '')}`)
    }),
  )
  app.post(
    `${base}/customers/:id/checkout`,
    action(dc, async (form, _c, s) => {
      const checkout = dc.options.checkout
      if (checkout === undefined)
        throw new BillingError(
          ErrorCode.CHECKOUT_NOT_SUPPORTED,
          'checkout links are not set up: pass dashboard.checkout to createHttpApi',
          {},
        )
      const link = await billing.checkout.create({
        invoice_id: form.get('invoice_id') ?? '',
        gateway: checkout.gateway,
        callback_url: checkout.callbackUrl,
      })
      const body = html`<h1>Checkout link</h1><p>Send this link to the customer; it pays the invoice and saves their card:</p>
<p><input readonly size="60" value="${link.url}" aria-label="Checkout link"></p><p><a href="${base}">Back to the overview</a></p>`
      return messagePage(dc, s, 'Checkout link', body, 200)
    }),
  )
}

/**
 * An invoice's printable page, framed by the dashboard or the portal: it runs no script and
 * loads nothing (a sandboxing CSP), and only this origin may frame it.
 *
 * @example
 * return invoiceRender(await billing.invoices.render(id, { format: 'html' }))
 */
export function invoiceRender(page: string): Response {
  return new Response(page, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; sandbox",
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  })
}
