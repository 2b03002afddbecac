import { NOTIFICATION_TYPES, type NotificationType } from './types.js'

/**
 * Whether a notification type matches one of `patterns`: an exact type, or a `*` standing for any
 * run of characters (`usage.*`, `*.paid`, `*`).
 *
 * @example
 * matchesTypes(['usage.*'], 'usage.threshold_reached') // true
 * matchesTypes(['invoice.paid'], 'invoice.finalized') // false
 */
export function matchesTypes(patterns: readonly string[], type: NotificationType): boolean {
  return patterns.some((pattern) => patternRegExp(pattern).test(type))
}

/**
 * Whether a pattern matches at least one known type: a pattern that matches none is a typo.
 *
 * @example
 * matchesAnyType('usage.*') // true
 * matchesAnyType('usage.thresold_reached') // false
 */
export function matchesAnyType(pattern: string): boolean {
  const re = patternRegExp(pattern)
  return NOTIFICATION_TYPES.some((type) => re.test(type))
}

function patternRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
  return new RegExp(`^${escaped.join('.*')}$`)
}
