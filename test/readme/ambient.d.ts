// What README examples take from their surroundings, for type-checking them: the `billing` of an
// earlier example, and the slices of Express, Fastify and Hono the webhook routes use (the
// frameworks are the host's, not kobometer's dependencies). Written against their public types.
// A script file (no top-level import), so each `declare module` declares rather than augments.

declare const billing: import('kobometer').Billing

declare module 'express' {
  type IncomingHttpHeaders = import('node:http').IncomingHttpHeaders
  interface Request {
    params: Record<string, string>
    body: Buffer
    headers: IncomingHttpHeaders
  }
  interface Response {
    sendStatus(code: number): Response
  }
  type Handler = (req: Request, res: Response) => unknown
  interface Application {
    post(path: string, ...handlers: Handler[]): Application
  }
  interface Express {
    (): Application
    raw(options: { type: string }): Handler
  }
  const express: Express
  export default express
}

declare module 'fastify' {
  type IncomingHttpHeaders = import('node:http').IncomingHttpHeaders
  interface FastifyRequest<P> {
    params: P
    body: Buffer
    headers: IncomingHttpHeaders
  }
  interface FastifyReply {
    code(status: number): FastifyReply
    send(body?: unknown): FastifyReply
  }
  interface FastifyInstance {
    register(plugin: (scope: FastifyInstance) => Promise<void>): Promise<void>
    removeAllContentTypeParsers(): void
    addContentTypeParser(
      type: string,
      options: { parseAs: 'buffer' | 'string' },
      parser: (req: unknown, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void,
    ): void
    post<T extends { Params: Record<string, string>; Body: unknown }>(
      path: string,
      handler: (req: FastifyRequest<T['Params']>, reply: FastifyReply) => Promise<unknown>,
    ): void
  }
  export default function Fastify(): FastifyInstance
}

declare module 'hono' {
  interface Context {
    req: { arrayBuffer(): Promise<ArrayBuffer>; param(name: string): string; raw: Request }
    body(data: null, status: number): Response
  }
  export class Hono {
    post(path: string, handler: (c: Context) => Promise<Response>): Hono
  }
}

declare module 'my-kobometer-storage' {
  export function myStorage(options: { url: string }): import('kobometer').Storage
}
