// Network-level errors, and drivers' codes for a connection that ended or could not be made.
const LOST_CODES = new Set<string>([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
  // PostgreSQL: the server is shutting down, crashed or starting; too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
])

// MySQL/MariaDB errnos: server shutdown, too many connections, aborted or killed connection,
// client-side "server gone away" and "lost connection".
const LOST_ERRNOS = new Set<number>([1040, 1053, 1152, 1927, 2006, 2013, 4031])

// Messages of pg, pg-pool and mysql2 for a client whose connection is gone.
const LOST_MESSAGES = [
  'connection terminated',
  'not queryable',
  "can't add new command when connection is in closed state",
  "can't write in closed state",
  'connection lost',
  'timeout exceeded when trying to connect',
  'server has gone away',
]

/**
 * Whether a driver error means the connection is unusable or could not be made (the database went
 * away, restarted, or cut us off), as opposed to the database refusing a statement. Such a failure
 * says nothing about the request itself: the same request may succeed on a new connection.
 *
 * @example
 * isConnectionFailure(Object.assign(new Error('terminating connection'), { code: '57P01' })) // true
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false
  const { code, errno, message, errors } = error as {
    code?: unknown
    errno?: unknown
    message?: unknown
    errors?: unknown
  }
  if (typeof code === 'string' && (LOST_CODES.has(code) || code.startsWith('08'))) return true
  if (typeof errno === 'number' && LOST_ERRNOS.has(errno)) return true
  if (typeof message === 'string') {
    const lower = message.toLowerCase()
    if (LOST_MESSAGES.some((m) => lower.includes(m))) return true
  }
  // Node reports a failed connect to every address of a host as one AggregateError.
  return Array.isArray(errors) && errors.length > 0 && errors.every((e) => isConnectionFailure(e, depth + 1))
}

/**
 * A transaction whose connection failed. `maybeCommitted` is true once COMMIT was sent: the
 * database may have applied it, and only a retry with the same keys can tell. Before that, the
 * database rolled the transaction back when the connection ended, so nothing was written.
 *
 * @example
 * throw new InterruptedTransaction(driverError, phase === 'commit')
 */
export class InterruptedTransaction extends Error {
  readonly maybeCommitted: boolean

  constructor(cause: unknown, maybeCommitted: boolean) {
    super(maybeCommitted ? 'connection lost after COMMIT was sent' : 'connection lost before COMMIT', {
      cause,
    })
    this.name = 'InterruptedTransaction'
    this.maybeCommitted = maybeCommitted
  }
}
