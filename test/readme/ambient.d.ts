// What README examples take from their surroundings, for type-checking them: the `billing` of an
// earlier example and a third-party storage package. Express, Fastify and Hono are checked against
// their real types (devDependencies), so a mounting or webhook example that would not compile in a
// host application fails here.
// A script file (no top-level import), so each `declare module` declares rather than augments.

declare const billing: import('kobometer').Billing

declare module 'my-kobometer-storage' {
  export function myStorage(options: { url: string }): import('kobometer').Storage
}
