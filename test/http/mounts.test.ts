import express from 'express'
import { describe, expect, it } from 'vitest'
import { createHttpApi } from '../../src/http/index.js'
import { listen, mountFixture } from './mount-fixture.js'
import { runMountScenario } from './mount-scenario.js'
import { mountings } from './mountings.js'

describe('the HTTP API mounted in each framework', () => {
  it.each(mountings.map((mounting) => [mounting.name, mounting] as const))(
    '%s: ingest, usage, 401, 404, 413 and a signed raw-body webhook',
    async (_name, mounting) => {
      const fixture = await mountFixture()
      const { send, close } = await mounting.start(fixture.billing)
      try {
        await runMountScenario(send, fixture)
      } finally {
        await close()
        await fixture.billing.close()
      }
    },
  )
})

describe('Express: a body parser that runs before the mount', () => {
  it('a global express.json() reads the body first, so the API cannot: it says to mount kobometer before it', async () => {
    const fixture = await mountFixture()
    const app = express()
    app.use(express.json())
    app.use('/billing', createHttpApi(fixture.billing).nodeListener)
    const { url, close } = await listen(app.listen(0, '127.0.0.1'))
    try {
      const response = await fetch(`${url}/billing/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${fixture.writeKey}` },
        body: JSON.stringify({
          events: [{ event_name: 'api_call', customer_id: 'c', idempotency_key: 'k' }],
        }),
      })
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({
        error: { code: 'INVALID_JSON', message: expect.stringContaining('mount kobometer first') },
      })
      expect((await fixture.billing.events.list({ customer_id: 'c' })).data).toEqual([])
    } finally {
      await close()
      await fixture.billing.close()
    }
  })
})
