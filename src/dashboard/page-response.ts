import type { SafeHtml } from './html.js'

/** Who may frame a page: nobody (operator pages) or the listed origins (the portal). */
export type FrameAncestors = 'none' | readonly string[]

/**
 * An HTML page with the headers every dashboard page carries: a Content-Security-Policy that
 * allows only this server's own scripts and styles (no inline script, no CDN), no caching, no
 * sniffing, and who may frame it.
 *
 * @example
 * return pageResponse(page, { frameAncestors: 'none' })
 */
export function pageResponse(
  page: SafeHtml,
  options: {
    status?: number
    frameAncestors?: FrameAncestors
    referrer?: string
    headers?: Record<string, string>
  } = {},
): Response {
  const ancestors = options.frameAncestors ?? 'none'
  const frame = ancestors === 'none' ? "'none'" : ancestors.join(' ')
  return new Response(page.text, {
    status: options.status ?? 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ${frame}`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': options.referrer ?? 'same-origin',
      ...(ancestors === 'none' ? { 'x-frame-options': 'DENY' } : {}),
      ...options.headers,
    },
  })
}

/**
 * A `303 See Other` to a page of this dashboard (after a form post), with extra headers.
 *
 * @example
 * return redirect('/dashboard', { 'set-cookie': cookie })
 */
export function redirect(location: string, headers: Record<string, string> = {}): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store', ...headers } })
}
