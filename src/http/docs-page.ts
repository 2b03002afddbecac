import { readFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'

/** Where the build puts the API reference's script (Scalar's standalone bundle, MIT). */
const ASSET = 'assets/scalar-api-reference.js'

// From the package: next to the built module. From a checkout of this repository: in its build.
const CANDIDATES = [new URL(`./${ASSET}`, import.meta.url), new URL(`../../dist/${ASSET}`, import.meta.url)]

let script: Promise<{ plain: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer> } | null> | undefined

function loadScript(): Promise<{ plain: Uint8Array<ArrayBuffer>; gzip: Uint8Array<ArrayBuffer> } | null> {
  script ??= (async () => {
    for (const url of CANDIDATES) {
      try {
        const plain = await readFile(url)
        return { plain: new Uint8Array(plain), gzip: new Uint8Array(gzipSync(plain)) }
      } catch {}
    }
    return null
  })()
  return script
}

/**
 * The API reference page: the OpenAPI document rendered by Scalar's script, both served from this
 * package (no CDN, no fonts from elsewhere), so it works offline and behind a strict CSP.
 *
 * @example
 * docsPage('/billing/v1/openapi.json', '/billing/v1/docs/scalar.js')
 */
export function docsPage(documentUrl: string, scriptUrl: string): Response {
  const configuration = JSON.stringify({
    withDefaultFonts: false,
    hideClientButton: true,
    // Nothing leaves the page: no AI agent, no registry search, no telemetry, no hosted toolbar.
    agent: { disabled: true },
    telemetry: false,
    showToolbar: 'never',
    showDeveloperTools: 'never',
  }).replace(/</g, '\\u003c')
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>kobometer API reference</title></head>
<body>
<script id="api-reference" data-url="${escapeAttribute(documentUrl)}" data-configuration="${escapeAttribute(configuration)}"></script>
<script src="${escapeAttribute(scriptUrl)}"></script>
</body>
</html>`
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy':
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
    },
  })
}

/**
 * The reference page's script, gzipped when the client accepts it; 404 when the build that
 * ships it is missing.
 *
 * @example
 * return docsScript(request)
 */
export async function docsScript(request: Request): Promise<Response | null> {
  const loaded = await loadScript()
  if (loaded === null) return null
  const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')
  return new Response(gzip ? loaded.gzip : loaded.plain, {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
  })
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
