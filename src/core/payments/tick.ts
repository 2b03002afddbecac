import { sweepAlerts } from '../alerts/alerts-service.js'
import { type ChurnResult, checkChurn } from '../churn/churn-step.js'
import { noticeTrials } from '../churn/trial-notices.js'
import type { BillingContext } from '../context.js'
import { BillingError, ErrorCode } from '../errors.js'
import { runInvoices } from '../invoices/invoice-run.js'
import type { Invoice, InvoiceRunResult } from '../invoices/types.js'
import { type ProgressListener, report } from '../logger.js'
import { type DeliveryResult, deliverNotifications } from '../notifications/deliver.js'
import { completeOutcome } from './apply-charge.js'
import { isCheckout } from './checkout-card.js'
import {
  attemptsOf,
  type BlockedGateways,
  collectInvoice,
  heldForAttention,
  isMerchantError,
} from './collect.js'
import { confirmOpenCheckouts } from './confirm-checkout.js'
import type { Payment } from './types.js'

/** What `billing.tick` did. */
export interface TickResult {
  invoices: InvoiceRunResult
  /** Payments started, resolved or retried by this tick. */
  payments: Payment[]
  /** Open invoices left alone, and why (e.g. `NO_PAYMENT_METHOD`, `GATEWAY_MERCHANT_ERROR`). */
  skipped: Array<{ invoice_id: string; code: string }>
  /**
   * Gateways that refused the merchant (a wrong or revoked key, a disabled account), one entry per
   * gateway: nothing more was sent to that gateway in this tick, and no invoice, payment or
   * subscription was changed because of it. Fix the configuration; the next tick carries on.
   */
  gateway_errors: Array<{ gateway: string; code: string; gateway_code: string; message: string }>
  /**
   * Open invoices holding a payment that `needs_attention` (money taken for a different amount or
   * currency): never charged or dunned again until a person settles them.
   */
  needs_attention: Payment[]
  /** Reservations past their expiry whose held quantity this tick freed (appends free them too). */
  reservations_expired: number
  /** Customers loaded to apply alerts created since the last tick (their passed thresholds fire). */
  alerts_swept: number
  /** Expired dashboard and portal sessions this tick deleted. */
  sessions_purged: number
  /** Trials about to end and customers at risk of churning that this tick reported. */
  churn: ChurnResult
  /** Notifications delivered, failed (to be retried) and parked by this tick. */
  notifications: DeliveryResult
}

const PAGE = 200

// An open invoice is due for collection when it has no charge attempt yet, when its last charge's
// outcome is unknown (processing past its owner's lease, or pending 3-D Secure), or when its dunning
// retry time has come. Hosted checkouts are not charge attempts: they are confirmed on their own.
function due(invoice: Invoice, last: Payment | null, now: number): boolean {
  if (last === null) return true
  if (last.status === 'processing') return last.lease_until <= now
  if (last.status === 'pending') return true
  if (last.status === 'failed')
    return invoice.next_payment_attempt !== null && Date.parse(invoice.next_payment_attempt) <= now
  return false
}

/**
 * `billing.tick`: everything due at `now`: trials about to end, `invoices.run`, then collection of
 * open invoices (new ones, unknown outcomes, and dunning retries), then the churn checks, then
 * delivery of notifications. Safe when several processes tick at once: each
 * attempt is started by one process, and an attempt whose outcome is unknown is verified by
 * reference before any new charge. An outcome a stopped process wrote but never applied to its
 * invoice (see `completeOutcome`) is applied. A gateway that refuses the merchant is reported once in
 * `gateway_errors` and not called again in this tick; it never changes an invoice.
 *
 * @example
 * setInterval(() => billing.tick(), 60_000)
 */
export async function tick(
  ctx: BillingContext,
  now: number,
  onProgress?: ProgressListener,
): Promise<TickResult> {
  const { logger } = ctx
  // Before the invoice run: a trial that just ended still has its trial end as its next boundary.
  const trials = await noticeTrials(ctx, now)
  const invoices = await runInvoices(ctx, now, onProgress)
  let looked = 0
  const payments: Payment[] = []
  const skipped: TickResult['skipped'] = []
  const needs_attention: Payment[] = []
  const gateway_errors: TickResult['gateway_errors'] = []
  const blocked: BlockedGateways = new Map()
  for (let after: string | undefined; ; ) {
    const open = await ctx.storage.invoices.list({ status: 'open', limit: PAGE, ...(after ? { after } : {}) })
    for (const invoice of open) {
      if (looked > 0) report(onProgress, logger, { phase: 'collect_invoices', done: looked })
      looked++
      const attempts = await attemptsOf(ctx, invoice.id)
      const held = heldForAttention(attempts)
      if (held !== null) {
        needs_attention.push(held)
        continue
      }
      try {
        const confirmed = await confirmOpenCheckouts(ctx, attempts, now, blocked)
        if (confirmed !== null) {
          if (confirmed.status === 'needs_attention') needs_attention.push(confirmed)
          else payments.push(confirmed)
          continue
        }
        const last = attempts.filter((p) => !isCheckout(p)).at(-1) ?? null
        if (last !== null && (await completeOutcome(ctx, invoice, last, now))) {
          payments.push(last)
          continue
        }
        if (!due(invoice, last, now)) continue
        const applied = await collectInvoice(ctx, invoice, now, { attempts, blocked })
        if (applied === null) continue
        if (applied.payment.status === 'needs_attention') needs_attention.push(applied.payment)
        else payments.push(applied.payment)
      } catch (error) {
        // One invoice that cannot be collected never stops the others.
        if (!(error instanceof BillingError)) throw error
        if (isMerchantError(error) && !blocked.has(error.gateway)) {
          logger.error('gateway skipped for the rest of this tick', {
            gateway: error.gateway,
            gateway_code: error.gateway_code,
            invoice_id: invoice.id,
          })
          blocked.set(error.gateway, error)
          const { gateway, gateway_code, message } = error
          gateway_errors.push({ gateway, code: ErrorCode.GATEWAY_MERCHANT_ERROR, gateway_code, message })
        }
        if (!isMerchantError(error)) {
          logger.warn('invoice not collected', { invoice_id: invoice.id, code: error.code })
        }
        skipped.push({ invoice_id: invoice.id, code: error.code })
      }
    }
    if (open.length < PAGE) break
    after = open[open.length - 1]!.id
  }
  report(onProgress, logger, { phase: 'collect_invoices', done: looked })
  const reservations_expired = await ctx.storage.entitlements.expire(now)
  const alerts_swept = await sweepAlerts(ctx, now)
  const sessions_purged = await ctx.storage.sessions.deleteExpired(now)
  const churn = await checkChurn(ctx, now, payments, trials)
  const notifications = await deliverNotifications(ctx)
  logger.info('tick finished', {
    invoices_looked_at: looked,
    payments: payments.length,
    skipped: skipped.length,
    needs_attention: needs_attention.length,
    gateway_errors: gateway_errors.length,
  })
  return {
    invoices,
    payments,
    skipped,
    gateway_errors,
    needs_attention,
    reservations_expired,
    alerts_swept,
    sessions_purged,
    churn,
    notifications,
  }
}
