// kobometer/http over node:http, the server in a child process and the load in this one
// (autocannon for throughput, an open-loop generator for latency at a steady rate): single-event
// ingest throughput and latency against a bare handler on the same stack, 1,000-event batches
// against in-process `events.ingest`, and entitlement checks at a steady rate. Rate limiting is off
// (`rateLimit: false`): one key sends far more than the default 1,000/s.
import { defineSuite } from './harness.js'
import { batchThroughput } from './http-batch.js'
import { checkLatency } from './http-check.js'
import { singleEventLatency, singleEventThroughput } from './http-ingest.js'
import { benchDir } from './sqlite-fixture.js'

type State = ReturnType<typeof benchDir>

export default defineSuite<State>({
  name: 'http',
  setup: () => benchDir(),
  teardown: (s) => s.remove(),
  cases: [
    {
      name: 'ingest 1 event/request, throughput',
      run: (s, ctx) => singleEventThroughput(s.sub('single'), ctx.quick),
    },
    {
      name: 'ingest 1 event/request, latency at 1,000 req/s',
      run: (s, ctx) => singleEventLatency(s.sub('latency'), ctx.quick),
    },
    { name: 'ingest 1,000-event batches', run: (s, ctx) => batchThroughput(s.sub('batch'), ctx.quick) },
    {
      name: 'entitlements check, latency at 1,000 req/s',
      run: (s, ctx) => checkLatency(s.sub('check'), ctx.quick, ctx.log),
    },
  ],
})
