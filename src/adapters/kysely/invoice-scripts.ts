import type { Invoice, InvoiceStatus } from '../../core/invoices/types.js'
import type {
  InvoiceCreated,
  InvoiceCreation,
  InvoiceNumbering,
  InvoiceStatusPatch,
  OneOffCreated,
  Outbox,
} from '../../core/ports/index.js'
import { topUpGrantOf } from '../../core/top-ups/top-up-grant.js'
import { grantScript } from './entitlement-scripts.js'
import { addNotificationsInBulkScript, reportScript } from './notification-scripts.js'
import { toDocument } from './row-mappers.js'
import type { SqlScript } from './sql-script.js'
import type { StatementSet } from './statement-set.js'
import { storageInvariant } from './storage-errors.js'

/**
 * Creates invoices unless one exists for their (subscription_id, period_end), in one transaction.
 * Locks are taken in one order — subscriptions (compare-and-set), then invoice keys, then the
 * sequence row, each in subscription order — so concurrent runs queue instead of deadlocking. The
 * sequence advances once by the number of final invoices created: numbers stay gapless. A
 * concurrent creator's uncommitted row makes the insert wait for its commit, so the read that
 * follows (a fresh READ COMMITTED snapshot) finds it. The outbox's records of the created invoices
 * are written last, in `items` order.
 *
 * @example
 * const [{ created, invoice }] = yield* createInvoicesOnceScript(statements, [{ invoice: draft, final: false }], numbering)
 */
export function* createInvoicesOnceScript(
  statements: StatementSet,
  items: readonly InvoiceCreation[],
  numbering: InvoiceNumbering,
  outbox?: Outbox<InvoiceCreated>,
): SqlScript<InvoiceCreated[]> {
  const order = items
    .map((_, index) => index)
    .sort((a, b) => compareKeys(items[a]!.invoice, items[b]!.invoice))
  const results: InvoiceCreated[] = new Array(items.length)
  for (const i of order) {
    const advance = items[i]!.advance
    const advanced =
      advance === undefined ? false : (yield statements.subscriptions.update(advance)).affected === 1
    results[i] = { created: false, invoice: items[i]!.invoice, advanced }
  }
  // A final invoice that goes in is rewritten numbered below: its first document is never read.
  const finals = new Set(items.filter((item) => item.final).map((item) => item.invoice.id))
  const created = yield* insertOnceScript(
    statements,
    order.map((i) => items[i]!.invoice),
    (invoice) => finals.has(invoice.id),
  )
  const toNumber: number[] = []
  for (const i of order) {
    const { invoice, final } = items[i]!
    if (created.has(invoice.id)) {
      results[i]!.created = true
      if (final) toNumber.push(i)
      continue
    }
    const { rows } = yield statements.invoices.byPeriod(invoice.subscription_id, invoice.period_end)
    storageInvariant(
      rows[0] !== undefined,
      `invoice ${invoice.id} was neither inserted nor found by its period`,
    )
    results[i]!.invoice = toDocument<Invoice>(rows[0])
  }
  if (toNumber.length > 0) {
    const last = yield* advanceSequence(statements, numbering.sequence, toNumber.length)
    let value = last - toNumber.length
    const numbered: Invoice[] = []
    for (const i of [...toNumber].sort((a, b) => a - b)) {
      const invoice: Invoice = { ...results[i]!.invoice, number: numbering.format(++value) }
      results[i]!.invoice = invoice
      numbered.push(invoice)
    }
    yield* rewriteScript(statements, numbered)
  }
  if (outbox !== undefined) {
    const records = results.filter((result) => result.created).flatMap((result) => outbox(result))
    yield* addNotificationsInBulkScript(statements, records)
  }
  return results
}

// Inserts each invoice unless its (subscription_id, period_end) is taken, in their (key) order, a
// statement per chunk, and answers the ids that went in: those now stored (ids are never reused).
function* insertOnceScript(
  statements: StatementSet,
  invoices: readonly Invoice[],
  placeholder: (invoice: Invoice) => boolean,
): SqlScript<Set<string>> {
  const step = statements.quirks.maxRowsPerStatement
  const created = new Set<string>()
  for (let i = 0; i < invoices.length; i += step) {
    const chunk = invoices.slice(i, i + step)
    const { affected } = yield statements.invoices.insertManyOnce(chunk, placeholder)
    if (affected === 0) continue
    if (affected === chunk.length) {
      for (const invoice of chunk) created.add(invoice.id)
      continue
    }
    const { rows } = yield statements.invoices.idsAmong(chunk.map((invoice) => invoice.id))
    for (const row of rows) created.add(String(row.id))
  }
  return created
}

// Replaces invoices this transaction inserted with their numbered form, a few statements for any
// number of them (a delete and an insert per chunk): the sequence row stays locked only briefly.
function* rewriteScript(statements: StatementSet, invoices: readonly Invoice[]): SqlScript<void> {
  const step = statements.quirks.maxRowsPerStatement
  for (let i = 0; i < invoices.length; i += step) {
    const chunk = invoices.slice(i, i + step)
    const { affected } = yield statements.invoices.deleteMany(chunk.map((invoice) => invoice.id))
    storageInvariant(affected === chunk.length, 'invoices inserted by this transaction went missing')
    yield statements.invoices.insertMany(chunk)
  }
}

/**
 * What a one-off invoice's period_end column holds: its key behind a prefix no ISO period end
 * starts with, so the unique (subscription_id, period_end) keys one-offs and periods apart.
 *
 * @example
 * oneOffPeriodKey('3f2a…') // 'one-off:3f2a…'
 */
export const oneOffPeriodKey = (key: string): string => `one-off:${key}`

/**
 * Creates a final one-off invoice unless one exists for its (subscription_id, key), numbering it
 * in the same transaction only when created: a second call's insert waits for the first's commit
 * and then reads the stored invoice, so a key takes one number.
 *
 * @example
 * const { created, invoice } = yield* createOneOffScript(statements, topUp, 'a1b2…', numbering)
 */
export function* createOneOffScript(
  statements: StatementSet,
  invoice: Invoice,
  key: string,
  numbering: InvoiceNumbering,
  outbox?: Outbox<Invoice>,
): SqlScript<OneOffCreated> {
  const periodKey = oneOffPeriodKey(key)
  const { affected } = yield statements.invoices.insertOnce(invoice, JSON.stringify(invoice), periodKey)
  if (affected !== 1) {
    const { rows } = yield statements.invoices.byPeriod(invoice.subscription_id, periodKey)
    storageInvariant(rows[0] !== undefined, `one-off invoice ${invoice.id} was neither inserted nor found`)
    return { created: false, invoice: toDocument<Invoice>(rows[0]) }
  }
  const value = yield* advanceSequence(statements, numbering.sequence, 1)
  const numbered: Invoice = { ...invoice, number: numbering.format(value) }
  yield statements.invoices.replace(invoice.status, numbered)
  yield* reportScript(statements, outbox, numbered)
  return { created: true, invoice: numbered }
}

function compareKeys(a: Invoice, b: Invoice): number {
  if (a.subscription_id !== b.subscription_id) return a.subscription_id < b.subscription_id ? -1 : 1
  return a.period_end < b.period_end ? -1 : a.period_end > b.period_end ? 1 : 0
}

// Advances the sequence by `by` (its row stays locked until commit) and returns the new value.
function* advanceSequence(statements: StatementSet, sequence: string, by: number): SqlScript<number> {
  yield statements.invoices.nextNumber(sequence, by)
  const { rows } = yield statements.invoices.readNumber(sequence)
  storageInvariant(rows[0] !== undefined, `invoice sequence ${sequence} is missing`)
  return Number(rows[0].value)
}

/**
 * Finalizes a draft with the next number of its sequence. The conditional status UPDATE picks one
 * winner among concurrent finalizers (and voiders); the sequence row, advanced in the same
 * transaction and locked until commit, makes numbers gapless and unique: a rolled-back
 * transaction gives its number back.
 *
 * @example
 * const final = yield* finalizeInvoiceScript(statements, { ...draft, status: 'open' }, numbering)
 */
export function* finalizeInvoiceScript(
  statements: StatementSet,
  invoice: Invoice,
  numbering: InvoiceNumbering,
  outbox?: Outbox<Invoice>,
): SqlScript<Invoice | null> {
  const { invoices } = statements
  const { affected } = yield invoices.markFinal(invoice.id, invoice.status)
  if (affected === 0) return null
  const value = yield* advanceSequence(statements, numbering.sequence, 1)
  const final: Invoice = { ...invoice, number: numbering.format(value) }
  yield invoices.replace(invoice.status, final)
  yield* reportScript(statements, outbox, final)
  return final
}

/**
 * Moves an invoice from one of `from` to `patch`. The read locks the row (SQLite's transaction
 * already excludes writers), so the document merged here is the one replaced: neither a concurrent
 * transition nor a draft update in between is lost. The changed-row count is not consulted: a
 * patch equal to the stored values counts 0 changed rows on MySQL without `FOUND_ROWS`. A top-up
 * invoice that becomes `paid` here grants its blocks in the same transaction, and the outbox's
 * records are written last.
 *
 * @example
 * const paid = yield* updateInvoiceStatusScript(statements, id, ['open'], { status: 'paid', updated_at })
 */
export function* updateInvoiceStatusScript(
  statements: StatementSet,
  id: string,
  from: readonly InvoiceStatus[],
  patch: InvoiceStatusPatch,
  outbox?: Outbox<Invoice>,
): SqlScript<Invoice | null> {
  const { rows } = yield statements.invoices.get(id, true)
  if (rows[0] === undefined) return null
  const current = toDocument<Invoice>(rows[0])
  if (!from.includes(current.status)) return null
  const next: Invoice = { ...current, ...patch }
  yield statements.invoices.replace(current.status, next)
  // The allowance row is locked after the invoice row: appends lock allowances but never invoices,
  // so this order cannot close a cycle with them.
  const grant = topUpGrantOf(current, next.status)
  if (grant !== null) yield* grantScript(statements, grant.key, grant.quantity, Date.parse(next.updated_at))
  yield* reportScript(statements, outbox, next)
  return next
}
