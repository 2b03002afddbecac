import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatMoney } from '../../src/index.js'
import { Client } from './dashboard-client.js'
import { CUSTOMERS, type DashboardFixture, dashboardFixture } from './dashboard-fixture.js'

describe('dashboard overview figures', () => {
  let f: DashboardFixture
  let page: string
  beforeAll(async () => {
    f = await dashboardFixture()
    const operator = new Client(f.url)
    await operator.signIn(f.adminKey)
    page = await (await operator.send('/dashboard')).text()
  }, 60_000)
  afterAll(() => f.close())

  it('shows accruing revenue: the sum of every live subscription upcoming invoice', async () => {
    let total = 0n
    for (const c of CUSTOMERS)
      total += BigInt((await f.billing.invoices.preview({ customer_id: c.id })).total)
    expect(total).toBeGreaterThan(0n)
    expect(page).toContain(`<strong data-accruing="NGN">${formatMoney(total, 'NGN')}</strong>`)
    expect(page).toContain('the upcoming invoices of 3 subscriptions as of')
  })

  it('counts the invoices past due from the past-due list, and the open ones', async () => {
    const open = (await f.billing.invoices.list({ status: 'open' })).data
    const pastDue = (await f.billing.invoices.list({ past_due: true })).data
    // Due at finalization (no due days): the fixture's open invoices are all past due by now.
    expect(pastDue.length).toBeGreaterThanOrEqual(CUSTOMERS.length)
    expect(pastDue.map((i) => i.id)).toEqual(
      open.filter((i) => i.due_at !== null && Date.parse(i.due_at) < Date.now()).map((i) => i.id),
    )
    expect(page).toMatch(
      new RegExp(
        `<div class="figure">${open.length}</div><div class="muted">open invoices · <strong>${pastDue.length}</strong> past due`,
      ),
    )
  })

  it('lists the past-due invoices on the invoices page and in the API', async () => {
    const operator = new Client(f.url)
    await operator.signIn(f.adminKey)
    const list = await (await operator.send('/dashboard/invoices?status=past_due')).text()
    for (const i of (await f.billing.invoices.list({ past_due: true })).data) expect(list).toContain(i.id)
    expect(list).toContain('<option value="past_due" selected>past due</option>')
  })
})
