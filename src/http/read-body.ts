import { BillingError, ErrorCode, ValidationError } from '../core/errors.js'
import { parseStrictJson } from './strict-json.js'

/** How a request body is read. */
export interface BodyLimits {
  /** Largest body accepted, in bytes. */
  maxBytes: number
  /** The whole body must arrive within this many milliseconds of the first read. */
  timeoutMs: number
  /** Deepest nesting of arrays and objects. */
  maxDepth: number
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * Reads a request's body as bytes, never holding more than `maxBytes`: a `Content-Length` over
 * the limit is refused before anything is read, and a body that streams past it is cancelled. A
 * body that stalls is given up after `timeoutMs` (`REQUEST_TIMEOUT`).
 *
 * @example
 * const bytes = await readBytes(request, { maxBytes: 1_048_576, timeoutMs: 10_000, maxDepth: 64 })
 */
export async function readBytes(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limits.maxBytes) throw tooLarge(limits)
  return declared === null ? readStream(request, limits) : readWhole(request, limits)
}

/** A timer that rejects with `REQUEST_TIMEOUT` after `timeoutMs`, and its cancellation. */
function deadline(limits: BodyLimits): { expired: Promise<never>; clear: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new BillingError(
            ErrorCode.REQUEST_TIMEOUT,
            `the body did not arrive within ${limits.timeoutMs} ms`,
            {},
          ),
        ),
      limits.timeoutMs,
    )
  })
  return { expired, clear: () => clearTimeout(timer) }
}

/**
 * A body of declared length, in one read: the server ends a body at its `Content-Length`, so this
 * holds at most the limit. On Node.js the adapter then reads the socket directly rather than
 * through a web stream, which cost about a quarter of a small request's CPU time. A stalled body is
 * left to the server to drop once the answer is sent; a body longer than declared (a `Request`
 * built in process) is refused after the fact.
 */
async function readWhole(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const { expired, clear } = deadline(limits)
  const whole = request.arrayBuffer()
  whole.catch(() => undefined)
  try {
    const bytes = new Uint8Array(await Promise.race([whole, expired]))
    if (bytes.byteLength > limits.maxBytes) throw tooLarge(limits)
    return bytes
  } catch (error) {
    if (error instanceof BillingError) throw error
    // The stream was consumed already (a body parser mounted before kobometer) or broke off.
    throw new ValidationError(
      ErrorCode.INVALID_JSON,
      'the request body could not be read: if a body parser runs before kobometer, mount kobometer first',
      {},
    )
  } finally {
    clear()
  }
}

/** A body of unknown length, chunk by chunk, cancelled as soon as it passes the limit. */
async function readStream(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  const { expired, clear } = deadline(limits)
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), expired])
      if (done) break
      size += value.byteLength
      if (size > limits.maxBytes) throw tooLarge(limits)
      chunks.push(value)
    }
  } catch (error) {
    reader.cancel().catch(() => undefined)
    throw error
  } finally {
    clear()
  }
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : Buffer.concat(chunks, size)
}

/**
 * Reads a JSON body: `application/json` (charset, if given, UTF-8) within the limits, valid UTF-8,
 * parsed by {@link parseStrictJson}. An empty body is `INVALID_JSON`.
 *
 * @example
 * const body = await readJson(request, limits) // unknown: validate it next
 */
export async function readJson(request: Request, limits: BodyLimits): Promise<unknown> {
  assertJsonType(request.headers.get('content-type'))
  const bytes = await readBytes(request, limits)
  let text: string
  try {
    text = utf8.decode(bytes)
  } catch {
    throw new ValidationError(ErrorCode.INVALID_ENCODING, 'body is not valid UTF-8', {})
  }
  if (text.trim() === '')
    throw new ValidationError(ErrorCode.INVALID_JSON, 'body is empty: send a JSON object', {})
  return parseStrictJson(text, limits.maxDepth)
}

function assertJsonType(header: string | null): void {
  const [type = '', ...params] = (header ?? '').split(';').map((part) => part.trim().toLowerCase())
  const charset = params
    .find((param) => param.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '')
  if (type === 'application/json' && (charset === undefined || charset === 'utf-8' || charset === 'utf8'))
    return
  throw new BillingError(
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    `send the body as application/json (UTF-8), not ${header === null ? 'without a content type' : JSON.stringify(header)}`,
    { path: 'content-type' },
  )
}

function tooLarge(limits: BodyLimits): BillingError {
  return new BillingError(ErrorCode.PAYLOAD_TOO_LARGE, `the body is larger than ${limits.maxBytes} bytes`, {
    max_bytes: limits.maxBytes,
  })
}
