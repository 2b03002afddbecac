import { ErrorCode, ValidationError } from './errors.js'

/** One page of a list: `{ data, has_more, next_cursor }`, as `events.list` returns it. */
export interface Page<T> {
  data: T[]
  has_more: boolean
  /** Pass as `cursor` for the next page; null on the last page. */
  next_cursor: string | null
}

/** A page query of a keyed list. */
export interface ListQuery {
  /** Page size, 1 to 1,000; default 100. */
  limit?: number
  /** `next_cursor` of the previous page. */
  cursor?: string
}

/** The default and largest page sizes of every `list`. */
export const PAGE_LIMITS = Object.freeze({ default: 100, max: 1000 })

/**
 * Reads `{ limit?, cursor? }` of a keyed list: the cursor is the base64url of the last key seen.
 *
 * @example
 * parsePageQuery({ limit: 10 }) // { limit: 10, after: undefined }
 */
export function parsePageQuery(query: { limit?: unknown; cursor?: unknown } = {}): {
  limit: number
  after: string | undefined
} {
  const limit = query.limit ?? PAGE_LIMITS.default
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > PAGE_LIMITS.max) {
    throw new ValidationError(
      ErrorCode.VALIDATION_ERROR,
      `limit must be an integer from 1 to ${PAGE_LIMITS.max}`,
      {
        path: 'limit',
      },
    )
  }
  if (query.cursor === undefined || query.cursor === null) return { limit, after: undefined }
  const after = typeof query.cursor === 'string' ? Buffer.from(query.cursor, 'base64url').toString() : ''
  if (after === '') {
    throw new ValidationError(ErrorCode.INVALID_CURSOR, 'cursor is not one this API returned', {
      path: 'cursor',
    })
  }
  return { limit, after }
}

/**
 * Turns `limit + 1` rows read in key order into a page.
 *
 * @example
 * pageOf(rows, 100, (row) => row.id)
 */
export function pageOf<T>(rows: readonly T[], limit: number, keyOf: (row: T) => string): Page<T> {
  const has_more = rows.length > limit
  const data = rows.slice(0, limit)
  const last = data[data.length - 1]
  return {
    data,
    has_more,
    next_cursor: has_more && last ? Buffer.from(keyOf(last)).toString('base64url') : null,
  }
}
