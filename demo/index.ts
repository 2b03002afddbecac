import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatMoney, priceCharge } from '../src/index.js'
import { runAccessDemo } from './access.js'
import { runBillingCycle } from './billing-cycle.js'
import { serveDashboard } from './dashboard.js'
import { runHttpDemo } from './http.js'
import { priceCards } from './price-cards.js'

const number = new Intl.NumberFormat('en-NG')

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows
    .map((r) =>
      r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('   '),
    )
    .join('\n')
}

console.log('kobometer demo: what a customer pays under each of the published price cards\n')
for (const card of priceCards) {
  const rows = [[card.unit, 'pays', 'exact (kobo)']]
  for (const volume of card.volumes) {
    const price = priceCharge(card.charge, volume)
    rows.push([number.format(volume), formatMoney(price.amount, 'NGN'), price.precise_amount])
  }
  console.log(`${card.title}\n${table(rows)}\n`)
}

console.log('The billing cycle: January 2027 on an embedded SQLite file\n')
const cycle = await runBillingCycle()

console.log('\nAccess on the hot path: a prepaid block that pauses, a top-up through checkout, overage\n')
await runAccessDemo(mkdtempSync(join(tmpdir(), 'kobometer-access-')))

console.log('\nAny language: the HTTP API, called from another process\n')
await runHttpDemo(mkdtempSync(join(tmpdir(), 'kobometer-http-')))

// `npm run demo -- --no-serve` (as the test suite runs it) stops here.
if (!process.argv.includes('--no-serve')) {
  console.log("\nSee it live: the dashboard on the billing cycle's data\n")
  await serveDashboard(cycle.file, cycle.endedAt, Number(process.env.PORT ?? 0))
}
