// What README examples take from their surroundings, for type-checking them: the `billing` of an
// earlier example and a storage package of the reader's own. Express, Fastify and Hono are checked
// against their real types (development dependencies). A script file (no top-level import), so the
// `declare module` declares rather than augments.

declare const billing: import('kobometer').Billing

declare module 'my-kobometer-storage' {
  export function myStorage(options: { url: string }): import('kobometer').Storage
}
