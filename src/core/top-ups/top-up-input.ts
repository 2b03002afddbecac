import { ErrorCode, ValidationError } from '../errors.js'
import { assertCustomerId, isLookupKey } from '../text.js'

/** The most blocks one top-up buys. */
export const MAX_TOP_UP_BLOCKS = 1000

/** What `billing.topUps.create` takes. */
export interface CreateTopUpInput {
  customer_id: string
  /** A meter whose plan charge is a `prepaid_block` that pauses on depletion. */
  meter: string
  /** Whole blocks to buy, 1 to 1,000; default 1. */
  blocks?: number
  /**
   * Makes the call safe to retry: the same key (for the same customer and subscription) answers
   * the same invoice instead of a second one. Without it every call is a new top-up.
   */
  idempotency_key?: string
}

/** `CreateTopUpInput` once checked, `blocks` filled in. */
export type ParsedTopUpInput = Required<Pick<CreateTopUpInput, 'customer_id' | 'meter' | 'blocks'>> &
  Pick<CreateTopUpInput, 'idempotency_key'>

/**
 * Checks `topUps.create` input: a bad customer id, block count or key → `ValidationError` with its
 * `path`. The meter is checked against the catalog by the caller (`NotFoundError`).
 *
 * @example
 * parseTopUpInput({ customer_id: 'cus_1', meter: 'api_calls' }) // { customer_id: 'cus_1', meter: 'api_calls', blocks: 1 }
 */
export function parseTopUpInput(input: CreateTopUpInput): ParsedTopUpInput {
  assertCustomerId(input?.customer_id)
  const blocks = input.blocks ?? 1
  if (!Number.isSafeInteger(blocks) || blocks < 1 || blocks > MAX_TOP_UP_BLOCKS) {
    throw new ValidationError(
      ErrorCode.VALUE_OUT_OF_RANGE,
      `blocks must be an integer from 1 to ${MAX_TOP_UP_BLOCKS}`,
      { path: 'blocks' },
    )
  }
  const key = input.idempotency_key
  if (key !== undefined && (!isLookupKey(key) || key.length > 255)) {
    throw new ValidationError(
      ErrorCode.INVALID_IDEMPOTENCY_KEY,
      'idempotency_key must be a string of 1 to 255 characters',
      { path: 'idempotency_key' },
    )
  }
  return {
    customer_id: input.customer_id,
    meter: input.meter,
    blocks,
    ...(key === undefined ? {} : { idempotency_key: key }),
  }
}
