import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CUSTOMERS, type DashboardFixture, dashboardFixture, sendCalls } from './dashboard-fixture.js'

const CHROMIUM = process.env.KOBOMETER_CHROMIUM ?? '/usr/bin/chromium'
const available = existsSync(CHROMIUM)
if (!available && process.env.CI === 'true')
  throw new Error(
    `Chromium is not at ${CHROMIUM}: CI installs Debian's chromium (apt-get install -y chromium)`,
  )
// `npm run screenshots` sets this to the README's folder; otherwise they go to a scratch folder.
const SHOTS = process.env.KOBOMETER_SCREENSHOTS ?? join(process.cwd(), '.tmp', 'screenshots')

describe.skipIf(!available)(
  `the dashboard in a real browser${available ? '' : ` (skipped: no Chromium at ${CHROMIUM})`}`,
  () => {
    let f: DashboardFixture
    let browser: Browser
    let dialogs: string[]

    const open = async (path: string): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
      const page = await context.newPage()
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message())
        void dialog.dismiss()
      })
      await page.goto(f.url + path)
      return page
    }

    const signIn = async (page: Page) => {
      await page.goto(`${f.url}/dashboard`)
      expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in')
      await page.getByLabel('Admin API key').fill(f.adminKey)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL(`${f.url}/dashboard`)
    }

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true })
      f = await dashboardFixture()
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] })
      dialogs = []
    }, 60_000)
    afterAll(async () => {
      await browser?.close()
      await f?.close()
    })

    it('signs in with an admin key and flags the customer at 85% of the limit on the overview', async () => {
      const page = await open('/dashboard/sign-in')
      await page.getByLabel('Admin API key').fill('kbm_sk_not_a_real_key')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('not a valid API key')
      await signIn(page)
      const near = page.locator('section[aria-labelledby="near"]')
      await expect.poll(() => near.textContent()).toContain('cus_acme')
      expect(await near.textContent()).toContain('85%')
      expect(await near.textContent()).not.toContain('cus_bolt')
      await page.screenshot({ path: join(SHOTS, 'overview.png'), fullPage: true })
      const cookies = await page.context().cookies()
      expect(cookies.find((c) => c.name === 'kbm_session')).toMatchObject({
        httpOnly: true,
        sameSite: 'Strict',
      })
    }, 30_000)

    it('shows new usage on the customer page within 2 seconds, without a reload', async () => {
      const page = await open('/dashboard')
      await signIn(page)
      await page.goto(`${f.url}/dashboard/customers/cus_acme`)
      const figure = page.locator('[data-live-usage="api_calls"]')
      expect(await figure.textContent()).toBe('850')
      await expect.poll(() => page.locator('[data-live-status]').getAttribute('data-state')).toBe('live')
      expect(await page.locator('.chart canvas').count()).toBeGreaterThan(0)
      await page.screenshot({ path: join(SHOTS, 'customer.png'), fullPage: true })
      const sent = Date.now()
      await sendCalls(f.billing, 'cus_acme', 40, 'live', Date.now() + 1000)
      await expect.poll(() => figure.textContent(), { timeout: 2_000, interval: 50 }).toBe('890')
      expect(Date.now() - sent).toBeLessThan(2_000)
      expect(await page.locator('[data-live-fill="api_calls"]').textContent()).toBe('89%')

      // The connection drops and comes back: the page says so, and picks up again.
      const state = () => page.locator('[data-live-status]').getAttribute('data-state')
      f.dropConnections()
      await expect.poll(state, { timeout: 5_000, interval: 20 }).toBe('reconnecting')
      await sendCalls(f.billing, 'cus_acme', 10, 'dropped', Date.now() + 1000)
      await expect.poll(() => figure.textContent(), { timeout: 6_000, interval: 100 }).toBe('900')
      expect(await state()).toBe('live')
    }, 30_000)

    it('opens an invoice with its printable page; a customer named like a script is only text', async () => {
      const page = await open('/dashboard')
      await signIn(page)
      await page.goto(`${f.url}/dashboard/invoices?customer_id=cus_bolt`)
      await page.locator('table a[href*="/dashboard/invoices/in_"]').first().click()
      await expect.poll(() => page.locator('h1').textContent()).toMatch(/^Invoice INV-/)
      const frame = page.frameLocator('iframe')
      await expect.poll(() => frame.locator('body').textContent()).toContain('₦5,000.00')
      await page.goto(`${f.url}/dashboard/customers?q=script`)
      const row = page.locator('tbody tr').first()
      expect(await row.textContent()).toContain(CUSTOMERS[2].name)
      await page.goto(`${f.url}/dashboard/customers/cus_xss`)
      expect(await page.locator('h1').textContent()).toContain('<script>')
      expect(dialogs).toEqual([])
    }, 30_000)

    it('gives a customer a portal that shows only them and cannot reach the operator pages', async () => {
      const { url } = await f.billing.portal.createSession({
        customer_id: 'cus_bolt',
        expires_in_ms: 600_000,
      })
      const page = await open(url)
      const text = (await page.locator('main').textContent()) ?? ''
      expect(text).toContain('Bolt Pay')
      expect(text).toContain('120')
      expect(text).not.toContain('cus_acme')
      expect(text).not.toContain('Acme')
      await page.screenshot({ path: join(SHOTS, 'portal.png'), fullPage: true })
      const acmeInvoices = await f.billing.invoices.list({ customer_id: 'cus_acme' })
      const other = await page.goto(`${f.url}${url}/invoices/${acmeInvoices.data[0]!.id}`)
      expect(other?.status()).toBe(404)
      await page.goto(`${f.url}/dashboard`)
      expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in')
      const forged = await page.goto(`${f.url}/dashboard/customers/cus_acme`)
      expect(new URL(forged?.url() ?? '').pathname).toBe('/dashboard/sign-in')
    }, 30_000)
  },
)
