// The part of autocannon's programmatic API the HTTP bench uses (the package ships no types).
declare module 'autocannon' {
  interface RequestSpec {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
  }

  interface Request extends RequestSpec {
    /** Called before each request is sent; returns the request to send. */
    setupRequest?: (request: RequestSpec) => RequestSpec
  }

  interface Options extends RequestSpec {
    url: string
    connections?: number
    /** Seconds. */
    duration?: number
    /** Requests in all, instead of a duration. */
    amount?: number
    requests?: Request[]
    timeout?: number
  }

  interface Histogram {
    average: number
    mean: number
    p50: number
    p99: number
    total: number
  }

  interface Result {
    requests: Histogram
    latency: Histogram
    /** Seconds. */
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    '2xx': number
  }

  function autocannon(options: Options): PromiseLike<Result>
  export default autocannon
}
