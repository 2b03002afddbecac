import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import { mount } from 'hono/mount'
import { createHttpApi, type HttpApiOptions } from '../../src/http/index.js'
import type { Billing } from '../../src/index.js'
import { closeServer, listen, serveListener } from './mount-fixture.js'
import { SCENARIO_MAX_BODY_BYTES, type Send } from './mount-scenario.js'

/** One way a host serves the API: how to start it, and how to reach `/v1/...` through it. */
export interface Mounting {
  name: string
  start(billing: Billing): Promise<{ send: Send; close(): Promise<void> }>
}

const apiOf = (billing: Billing, options: HttpApiOptions = {}) =>
  createHttpApi(billing, { maxBodyBytes: SCENARIO_MAX_BODY_BYTES, ...options })

const over =
  (base: string): Send =>
  (path, init) =>
    fetch(`${base}${path}`, init)
const noServer = async () => {}

/** The host's own JSON route still gets its parsed body beside the API. */
async function expectHostParsesJson(url: string): Promise<void> {
  const echoed = await fetch(`${url}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"parsed":true}',
  })
  if (((await echoed.json()) as { parsed?: boolean }).parsed !== true)
    throw new Error(`the host's JSON parser did not run on /echo (${echoed.status})`)
}

/**
 * Every mounting the README shows, each on a real listening server where it has one. The Express,
 * Fastify and Hono apps also parse JSON on a route of their own, to show the API lives beside that.
 */
export const mountings: Mounting[] = [
  {
    name: 'node:http createServer(api.nodeListener)',
    async start(billing) {
      const { url, close } = await serveListener(apiOf(billing).nodeListener)
      return { send: over(url), close }
    },
  },
  {
    name: "Express 5 app.use('/billing', api.nodeListener)",
    async start(billing) {
      const app = express()
      app.post('/echo', express.json(), (req, res) => {
        res.json(req.body)
      })
      app.use('/billing', apiOf(billing).nodeListener)
      // A global parser after the mount is harmless: the API has answered before it runs.
      app.use(express.json())
      const { url, close } = await listen(app.listen(0, '127.0.0.1'))
      await expectHostParsesJson(url)
      return { send: over(`${url}/billing`), close }
    },
  },
  {
    name: "Fastify 5 scope.all('/billing/*') with reply.hijack()",
    async start(billing) {
      const api = apiOf(billing, { basePath: '/billing' })
      const app = Fastify()
      app.post('/echo', async (request) => request.body)
      await app.register(async (scope) => {
        // Leave the body unread for the API: no parser in this scope consumes the stream.
        scope.removeAllContentTypeParsers()
        scope.addContentTypeParser('*', (_request, _payload, done) => done(null))
        scope.all('/billing/*', (request, reply) => {
          reply.hijack()
          api.nodeListener(request.raw, reply.raw)
        })
      })
      await app.listen({ host: '127.0.0.1', port: 0 })
      const { port } = app.server.address() as AddressInfo
      const url = `http://127.0.0.1:${port}`
      await expectHostParsesJson(url)
      return { send: over(`${url}/billing`), close: () => app.close() }
    },
  },
  {
    name: 'Next.js route handler (export const GET = api.fetch) under /api/billing',
    async start(billing) {
      const api = apiOf(billing, { basePath: '/api/billing' })
      // What app/api/billing/[...path]/route.ts exports, called the way Next.js calls it.
      const route: Record<string, (request: Request) => Promise<Response>> = {
        GET: api.fetch,
        POST: api.fetch,
        DELETE: api.fetch,
      }
      const send: Send = (path, init) => {
        const handler = route[init?.method ?? 'GET']
        if (handler === undefined) throw new Error(`no ${init?.method} export`)
        return handler(new Request(`http://localhost/api/billing${path}`, init))
      }
      return { send, close: noServer }
    },
  },
  {
    name: 'api.fetch without a server',
    async start(billing) {
      const api = apiOf(billing)
      return {
        send: (path, init) => api.fetch(new Request(`http://localhost${path}`, init)),
        close: noServer,
      }
    },
  },
  // Last: serve() swaps the global Request and Response for its own (its default), as in a real Hono app.
  {
    name: "Hono app.all('/billing/*', mount(api.fetch)) on @hono/node-server",
    async start(billing) {
      const app = new Hono()
      app.post('/echo', async (c) => c.json(await c.req.json()))
      app.all('/billing/*', mount(apiOf(billing).fetch))
      const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
        const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started))
      })
      const { port } = server.address() as AddressInfo
      const url = `http://127.0.0.1:${port}`
      await expectHostParsesJson(url)
      return { send: over(`${url}/billing`), close: () => closeServer(server as Server) }
    },
  },
]
