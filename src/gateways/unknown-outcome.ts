/**
 * The one rule for a charge whose outcome is unknown (a dropped connection, a timeout, a 5xx): it
 * is never sent again. Its reference is verified instead; what the gateway holds under it is the
 * answer. When the gateway holds nothing yet, the outcome stays unknown (the request may still be
 * on its way) and the original retryable error is thrown, so the caller keeps the attempt open and
 * verifies again later.
 */
import { GatewayError } from '../core/errors.js'
import type { ChargeResult } from '../core/payments/gateway-port.js'

/**
 * Settles a failed charge request by verifying its reference. Rethrows `error` unless it is a
 * retryable `GatewayError`; a merchant error from verify wins over the unknown outcome, since the
 * host must see it at once.
 *
 * @example
 * try { res = await client.request(chargeRequest) }
 * catch (error) { return settleByVerify(error, () => gateway.verify(reference, currency)) }
 */
export async function settleByVerify(
  error: unknown,
  verify: () => Promise<ChargeResult | null>,
): Promise<ChargeResult> {
  if (!(error instanceof GatewayError) || !error.retryable) throw error
  let found: ChargeResult | null
  try {
    found = await verify()
  } catch (verifyError) {
    if (verifyError instanceof GatewayError && verifyError.merchant) throw verifyError
    throw error
  }
  if (found === null) throw error
  return found
}
