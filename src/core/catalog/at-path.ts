import { BillingError, joinPath } from '../errors.js'

/**
 * Runs a check of one catalog item and names the item in any error it throws: `details.path`
 * `code` of the second meter becomes `meters[1].code`, and so do the issues and the message.
 *
 * @example
 * const meter = await atPath('meters[1]', () => parseMeter(input, createdAt))
 */
export async function atPath<R>(prefix: string, check: () => R | Promise<R>): Promise<R> {
  try {
    return await check()
  } catch (error) {
    if (!(error instanceof BillingError)) throw error
    const path = typeof error.details.path === 'string' ? error.details.path : ''
    error.message =
      path !== '' && error.message.startsWith(path)
        ? joinPath(prefix, error.message)
        : `${prefix}: ${error.message}`
    error.details.path = joinPath(prefix, path)
    error.details.issues = error.details.issues?.map((issue) => ({
      ...issue,
      path: joinPath(prefix, issue.path),
    }))
    if (error.details.issues === undefined) delete error.details.issues
    throw error
  }
}
