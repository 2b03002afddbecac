import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../core/errors.js'
import { readBytes, readJson } from './read-body.js'

const limits = { maxBytes: 100, timeoutMs: 50, maxDepth: 64 }
const url = 'http://localhost/v1/events'

function post(body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    duplex: 'half',
  } as RequestInit)
}

/** A body that sends `chunk` every time it is asked, forever, and records being cancelled. */
function endless(chunk: Uint8Array | null): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false
  const stream = new ReadableStream<Uint8Array>({
    pull: (controller) => (chunk === null ? new Promise(() => {}) : controller.enqueue(chunk)),
    cancel: () => {
      cancelled = true
    },
  })
  return { stream, cancelled: () => cancelled }
}

describe('readBytes and readJson', () => {
  it('reads a body of declared length whole, without opening its stream', async () => {
    const request = post('{"a":1}', { 'content-length': '7' })
    // On Node, `request.body` turns the socket into a web stream: the costly way to read a small body.
    Object.defineProperty(request, 'body', {
      get() {
        throw new Error('the body stream was opened')
      },
    })
    await expect(readJson(request, limits)).resolves.toEqual({ a: 1 })
  })

  it('refuses a declared length over the limit before reading anything', async () => {
    const { stream, cancelled } = endless(new Uint8Array(10))
    const request = post(stream, { 'content-length': '101' })
    await expect(readBytes(request, limits)).rejects.toMatchObject({ code: ErrorCode.PAYLOAD_TOO_LARGE })
    expect(cancelled()).toBe(false)
  })

  it('refuses a body longer than the limit even when its declared length is smaller', async () => {
    const request = post('x'.repeat(150), { 'content-length': '10' })
    await expect(readBytes(request, limits)).rejects.toMatchObject({ code: ErrorCode.PAYLOAD_TOO_LARGE })
  })

  it('cancels a body without a length as soon as it streams past the limit', async () => {
    const { stream, cancelled } = endless(new Uint8Array(40))
    await expect(readBytes(post(stream), limits)).rejects.toMatchObject({ code: ErrorCode.PAYLOAD_TOO_LARGE })
    expect(cancelled()).toBe(true)
  })

  it('gives up on a body that stalls, with or without a declared length', async () => {
    for (const headers of [{}, { 'content-length': '50' }] as Record<string, string>[]) {
      const { stream } = endless(null)
      await expect(readBytes(post(stream, headers), limits)).rejects.toMatchObject({
        code: ErrorCode.REQUEST_TIMEOUT,
      })
    }
  })

  it('reads streamed bodies of several chunks exactly', async () => {
    const chunks = ['{"ev', 'ents":', ' [1, 2]}'].map((s) => new TextEncoder().encode(s))
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const c of chunks) controller.enqueue(c)
        controller.close()
      },
    })
    await expect(readJson(post(stream), limits)).resolves.toEqual({ events: [1, 2] })
  })
})
