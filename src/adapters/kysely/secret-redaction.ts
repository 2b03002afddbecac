// Connection strings and key=value passwords never reach a message, whatever the driver echoed.
// Source locations (file://) in stack traces stay, as does MySQL's "(using password: YES)".
const URL_PATTERN = /\b(?!file:)[a-z][a-z0-9+.-]*:\/\/\S+/gi
const PASSWORD_PATTERN = /\b((?:password|pwd)\s*[=:]\s*)(?!(?:YES|NO)\))\S+/gi

// Driver error fields that may hold a connection string or the connection's settings.
const UNSAFE_FIELDS = new Set([
  'input',
  'config',
  'connectionString',
  'uri',
  'password',
  'client',
  'connection',
])

/**
 * The ways a password can appear in text: as given, percent-decoded and percent-encoded.
 *
 * @example
 * passwordForms('ab%23S3cret') // ['ab%23S3cret', 'ab#S3cret']
 */
export function passwordForms(password: string | undefined): string[] {
  if (password === undefined || password === '') return []
  const forms = new Set([password, encodeURIComponent(password)])
  try {
    forms.add(decodeURIComponent(password))
  } catch {
    // Not percent-encoded: the raw form is enough.
  }
  return [...forms].filter((form) => form.length > 0)
}

/**
 * Removes URLs, `password=…` pairs and every known secret from a text.
 *
 * @example
 * redact('connect to postgres://u:pw@db failed', ['pw']) // 'connect to <url> failed'
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_PATTERN, '<url>').replace(PASSWORD_PATTERN, '$1<redacted>')
  for (const secret of secrets) out = out.replaceAll(secret, '<redacted>')
  return out
}

/**
 * A copy of a driver error safe to log or serialize: same name, redacted message and stack, its
 * scalar fields (codes, SQLSTATE, constraint names) redacted, its causes copied the same way, and
 * nothing that could reference the connection's configuration.
 *
 * @example
 * const safe = sanitizedError(driverError, ['S3cret'])
 */
export function sanitizedError(error: unknown, secrets: readonly string[], depth = 0): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error), secrets))
  const copy = new Error(redact(error.message, secrets))
  copy.name = error.name
  copy.stack = redact(error.stack ?? '', secrets)
  const fields: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(error)) {
    if (UNSAFE_FIELDS.has(key)) continue
    if (typeof value === 'string') fields[key] = redact(value, secrets)
    else if (typeof value === 'number' || typeof value === 'boolean') fields[key] = value
  }
  Object.assign(copy, fields)
  if (depth < 3) {
    const { cause, errors } = error as { cause?: unknown; errors?: unknown }
    if (cause !== undefined) Object.assign(copy, { cause: sanitizedError(cause, secrets, depth + 1) })
    if (Array.isArray(errors)) {
      Object.assign(copy, { errors: errors.map((e: unknown) => sanitizedError(e, secrets, depth + 1)) })
    }
  }
  return copy
}
