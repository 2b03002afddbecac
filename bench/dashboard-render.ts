// Server render time of the dashboard's two heaviest pages on the big store: the overview (revenue,
// every meter's week by hour across customers, top customers, allowances near their limit, open
// invoices, notifications) and a customer's page. Loads are sequential, each timed from request to
// the last byte, so a figure is one page's time with nothing queued ahead of it. A round loads up to
// 300 pages (50 with --quick) or stops after 20 s (3 s) once it has 20; the log says how many.
import { pageLoads, signIn } from './dashboard-client.js'
import { type DashboardStoreSize, dashboardCustomer } from './dashboard-store.js'
import { compare, type Result } from './harness.js'
import { alternate } from './http-rounds.js'
import { DASHBOARD_CHILD, startServer } from './http-servers.js'
import { fromRounds } from './measure.js'
import { quantile } from './stats.js'

/** The pages' goal: p99 at most this, in ms. */
const TARGET_MS = 50

/**
 * p50 and p99 of overview and customer page loads, per round, as result rows in ms.
 * @example const rows = await renderLatency(file, { customers: 10_000, events: 10_000_000 }, false, log)
 */
export async function renderLatency(
  filename: string,
  size: DashboardStoreSize,
  quick: boolean,
  log: (m: string) => void,
): Promise<Result[]> {
  const loads = quick ? 50 : 300
  const server = await startServer({ filename }, DASHBOARD_CHILD)
  try {
    const cookie = await signIn(server)
    let next = 0
    // A different customer each load, spread over the ids, so no page is served from a warm row cache alone.
    const customerPaths = () =>
      Array.from(
        { length: loads },
        () => `/dashboard/customers/${dashboardCustomer((next++ * 7919) % size.customers)}`,
      )
    const pages = [
      { name: 'overview GET /dashboard', paths: () => Array<string>(loads).fill('/dashboard') },
      { name: 'customer page GET /dashboard/customers/<id>', paths: customerPaths },
    ]
    const limits = { budgetMs: quick ? 3_000 : 20_000, atLeast: 20 }
    const perRound = await alternate(pages, (p) => pageLoads(server, cookie, p.paths(), limits))
    log(
      `    loads per round: ${perRound.map((r, i) => `${pages[i]?.name} ${r.map((ms) => ms.length).join('/')}`).join('; ')}`,
    )
    const scale = `${size.customers.toLocaleString('en')} customers, ${size.events.toLocaleString('en')} events, sqlite`
    return pages.flatMap((p, i) => {
      const rounds = perRound[i] ?? []
      const at = (q: number) =>
        fromRounds(
          rounds.map((ms) => quantile(ms, q)),
          'ms',
        )
      // The slowest load too: the overview shares its reads for a few seconds, so the one load
      // that reads afresh can hide above p99 of a round.
      return [
        compare(`dashboard ${p.name} p50, ${scale}`, at(0.5)),
        compare(`dashboard ${p.name} p99, ${scale}`, at(0.99), undefined, { max: TARGET_MS }),
        compare(`dashboard ${p.name} slowest, ${scale}`, at(1)),
      ]
    })
  } finally {
    await server.stop()
  }
}
