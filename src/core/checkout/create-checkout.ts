import type { BillingContext } from '../context.js'
import { BillingError, ConflictError, ErrorCode, ValidationError } from '../errors.js'
import { getInvoice } from '../invoices/invoices-service.js'
import type { Invoice } from '../invoices/types.js'
import { CHECKOUT_METHOD, isCheckout } from '../payments/checkout-card.js'
import { attemptsOf, paymentReference } from '../payments/collect.js'
import type { CheckoutSession, PaymentGateway } from '../payments/gateway-port.js'
import { newPayment } from '../payments/new-payment.js'
import { gatewayOf } from '../payments/payment-methods-service.js'
import type { Payment } from '../payments/types.js'
import { isoTime as iso } from '../time/iso-time.js'
import { type CheckoutLink, type CreateCheckoutInput, parseCreateCheckout } from './checkout-input.js'

type Initialize = NonNullable<PaymentGateway['initializeCheckout']>

function checkoutOf(ctx: BillingContext, name: string): Initialize {
  const gateway = gatewayOf(ctx, name)
  if (gateway.initializeCheckout === undefined) {
    throw new BillingError(ErrorCode.CHECKOUT_NOT_SUPPORTED, `gateway ${name} has no hosted checkout`, {
      path: 'gateway',
    })
  }
  return gateway.initializeCheckout.bind(gateway)
}

function notOpen(invoice: Invoice, why: string): never {
  throw new ConflictError(
    `invoice ${invoice.id} ${why}`,
    { id: invoice.id, resource: 'invoice', status: invoice.status },
    ErrorCode.INVOICE_NOT_OPEN,
  )
}

function inProgress(invoice: Invoice, payment: Payment, why: string): never {
  throw new ConflictError(
    `invoice ${invoice.id} ${why}`,
    { id: payment.id, resource: 'payment', status: payment.status },
    ErrorCode.PAYMENT_IN_PROGRESS,
  )
}

async function emailFor(ctx: BillingContext, invoice: Invoice, given: string | undefined): Promise<string> {
  const email = given ?? (await ctx.storage.customers.get(invoice.customer_id))?.email ?? null
  if (email === null) {
    throw new ValidationError(
      ErrorCode.VALIDATION_ERROR,
      `customer ${invoice.customer_id} has no email: pass the email the payment is for`,
      { path: 'email' },
    )
  }
  return email
}

const linkOf = (payment: Payment, url: string): CheckoutLink => ({
  url,
  reference: payment.reference,
  payment_id: payment.id,
})

// Writes the outcome of starting the page. A checkout that could not be started is closed as
// `failed` here rather than through the charge path: the customer never saw it, so it is no
// decline and no dunning step.
async function finish(ctx: BillingContext, payment: Payment, fields: Partial<Payment>, now: number) {
  const next = {
    ...payment,
    ...fields,
    lease_until: now,
    updated_at: iso(now),
    revision: payment.revision + 1,
  }
  if (await ctx.storage.payments.update(next)) return next
  return (await ctx.storage.payments.get(payment.id)) ?? next
}

// An open checkout of this gateway answers again with its page instead of a second page (and a
// second possible charge); one still being started by another call is a conflict to retry, unless
// its owner's lease ran out (it crashed before it had a page to show): that one is closed.
async function reuse(
  ctx: BillingContext,
  invoice: Invoice,
  open: Payment,
  now: number,
): Promise<CheckoutLink | null> {
  if (open.status === 'pending' && open.checkout_url !== undefined) return linkOf(open, open.checkout_url)
  if (open.lease_until > now) inProgress(invoice, open, 'has a checkout being started: try again shortly')
  await finish(ctx, open, { status: 'failed', failure_message: 'checkout never started' }, now)
  return null
}

/**
 * `billing.checkout.create`: a hosted payment page (Paystack `transaction/initialize`, Flutterwave
 * Standard) for what an open or uncollectible invoice still owes. The page is a checkout payment
 * (`method: 'checkout'`, `pending`, its own reference); its success, by webhook, `checkout.verify`
 * or `tick`, pays the invoice and attaches the card as the customer's default. Calling again while
 * that page is open answers the same link. `INVOICE_NOT_OPEN` for a draft, paid or void invoice;
 * `PAYMENT_IN_PROGRESS` while a card charge of it is unresolved; `GATEWAY_NOT_CONFIGURED` or
 * `CHECKOUT_NOT_SUPPORTED` for the gateway; a gateway that refuses the page throws its
 * `GatewayError` and leaves nothing open.
 *
 * @example
 * const { url } = await createCheckout(ctx, { invoice_id: 'in_…', gateway: 'paystack', callback_url: 'https://app.example.ng/billing/paid' })
 */
export async function createCheckout(ctx: BillingContext, input: CreateCheckoutInput): Promise<CheckoutLink> {
  const given = parseCreateCheckout(input)
  const initialize = checkoutOf(ctx, given.gateway)
  const invoice = await getInvoice(ctx, given.invoice_id)
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible')
    notOpen(invoice, `is ${invoice.status}`)
  const amount = invoice.amount_due - invoice.amount_paid
  if (amount <= 0) notOpen(invoice, 'owes nothing')
  const now = ctx.now()
  const attempts = await attemptsOf(ctx, invoice.id)
  for (const p of attempts) {
    if (p.status === 'needs_attention') inProgress(invoice, p, 'holds a payment that needs attention')
    if (!isCheckout(p) && (p.status === 'processing' || p.status === 'pending')) {
      inProgress(invoice, p, 'has a card charge in flight: its outcome must be known first')
    }
  }
  const open = attempts.find(
    (p) =>
      isCheckout(p) && p.gateway === given.gateway && (p.status === 'pending' || p.status === 'processing'),
  )
  const reused = open === undefined ? null : await reuse(ctx, invoice, open, now)
  if (reused !== null) return reused

  const email = await emailFor(ctx, invoice, given.email)
  const attempt = (attempts.at(-1)?.attempt ?? 0) + 1
  const { created, payment } = await ctx.storage.payments.create(
    newPayment(
      invoice,
      {
        payment_method_id: null,
        gateway: given.gateway,
        method: CHECKOUT_METHOD,
        reference: paymentReference(invoice.id, attempt),
        attempt,
        status: 'processing',
        amount,
        lease_until: now + ctx.dunning.leaseMs,
      },
      now,
    ),
  )
  if (!created) {
    // Another call took this attempt number first: its checkout is the one to answer with.
    if (!isCheckout(payment)) inProgress(invoice, payment, 'has a card charge in flight')
    const again = await reuse(ctx, invoice, payment, now)
    if (again !== null) return again
    return createCheckout(ctx, input)
  }
  let session: CheckoutSession
  try {
    session = await initialize({
      reference: payment.reference,
      amount,
      currency: invoice.currency,
      email,
      callback_url: given.callback_url,
      metadata: { invoice_id: invoice.id, payment_id: payment.id },
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    await finish(ctx, payment, { status: 'failed', failure_message: `checkout not started: ${message}` }, now)
    throw error
  }
  const stored = await finish(ctx, payment, { status: 'pending', checkout_url: session.url }, now)
  // Closed by another call that took this one for crashed: its page must not be shown, as a payment
  // on it could no longer be recorded.
  if (stored.status === 'failed')
    inProgress(invoice, stored, 'had its checkout closed while starting: try again')
  ctx.logger.info('checkout started', {
    gateway: given.gateway,
    invoice_id: invoice.id,
    reference: payment.reference,
    amount,
    currency: invoice.currency,
  })
  return linkOf(stored, stored.checkout_url ?? session.url)
}
