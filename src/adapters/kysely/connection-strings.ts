import { ErrorCode, ValidationError } from '../../core/errors.js'
import { passwordForms } from './secret-redaction.js'

function invalid(path: string, problem: string): ValidationError {
  // The input itself stays out: it may carry a password.
  return new ValidationError(ErrorCode.INVALID_OPTIONS, `${path} ${problem}`, { path })
}

function parseUrl(text: string, base?: string): URL | null {
  try {
    return new URL(text, base)
  } catch {
    return null
  }
}

function secretsOf(url: URL): string[] {
  return [...passwordForms(url.password), ...passwordForms(url.searchParams.get('password') ?? undefined)]
}

function checkUrl(url: URL | null, path: string): string[] {
  if (url === null) {
    throw invalid(
      path,
      'is not a valid connection URL (percent-encode special characters in the user and password)',
    )
  }
  // An unencoded '#' in a password starts a fragment the driver ignores, silently changing the target.
  if (url.hash !== '') throw invalid(path, "contains '#': percent-encode it (%23) in the user and password")
  return secretsOf(url)
}

/**
 * Checks a PostgreSQL connection string the way `pg` will read it, and returns the forms of its
 * password to keep out of errors. A malformed one is a `ValidationError` (`INVALID_OPTIONS`, path
 * `connectionString`) that never repeats the string.
 *
 * @example
 * const secrets = postgresConnectionSecrets('postgres://app:S3cret@db:5432/billing') // ['S3cret']
 */
export function postgresConnectionSecrets(connectionString: unknown): string[] {
  const path = 'connectionString'
  if (typeof connectionString !== 'string' || connectionString.trim() === '') {
    throw invalid(path, 'must be a non-empty string')
  }
  // A Unix socket directory and database name, separated by a space.
  if (connectionString.startsWith('/')) return []
  const text = / |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(connectionString)
    ? encodeURI(connectionString).replace(/%25(\d\d)/g, '%$1')
    : connectionString
  const url =
    parseUrl(text, 'postgres://base') ?? parseUrl(text.replace('@/', '@___DUMMY___/'), 'postgres://base')
  return checkUrl(url, path)
}

/**
 * Checks a MySQL URI the way `mysql2` will read it, and returns the forms of its password to keep
 * out of errors. A malformed one is a `ValidationError` (`INVALID_OPTIONS`, path `uri`) that never
 * repeats the URI.
 *
 * @example
 * const secrets = mysqlUriSecrets('mysql://app:S3cret@db:3306/billing') // ['S3cret']
 */
export function mysqlUriSecrets(uri: unknown): string[] {
  if (typeof uri !== 'string' || uri.trim() === '') throw invalid('uri', 'must be a non-empty string')
  return checkUrl(parseUrl(uri), 'uri')
}

/**
 * The password forms of a host's pool settings (`password`, or one inside a connection string).
 *
 * @example
 * poolSecrets({ password: 'S3cret' }) // ['S3cret']
 */
export function poolSecrets(
  settings: { password?: unknown; connectionString?: unknown; uri?: unknown } | undefined,
): string[] {
  if (settings === undefined) return []
  const secrets = typeof settings.password === 'string' ? passwordForms(settings.password) : []
  for (const text of [settings.connectionString, settings.uri]) {
    const url = typeof text === 'string' ? parseUrl(text) : null
    if (url !== null) secrets.push(...secretsOf(url))
  }
  return secrets
}
