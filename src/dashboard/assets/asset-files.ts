import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { APP_CSS } from './app-css.js'
import { APP_JS } from './app-js.js'

interface Asset {
  type: string
  load: () => Promise<string>
}

const require = createRequire(import.meta.url)
// uPlot (MIT, a dependency) is served from its own package: one file, no build step, no CDN.
const uPlotFile = (name: string) => () => readFile(require.resolve(`uplot/dist/${name}`), 'utf8')

const ASSETS: Record<string, Asset> = {
  'app.css': { type: 'text/css', load: async () => APP_CSS },
  'app.js': { type: 'text/javascript', load: async () => APP_JS },
  'uPlot.iife.min.js': { type: 'text/javascript', load: uPlotFile('uPlot.iife.min.js') },
  'uPlot.min.css': { type: 'text/css', load: uPlotFile('uPlot.min.css') },
}

const loaded = new Map<string, Promise<string>>()

/**
 * One of the dashboard's static files, or null for any other name.
 *
 * @example
 * const response = await assetResponse('app.css')
 */
export async function assetResponse(name: string): Promise<Response | null> {
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined
  if (asset === undefined) return null
  let text = loaded.get(name)
  if (text === undefined) {
    text = asset.load()
    loaded.set(name, text)
  }
  return new Response(await text, {
    headers: {
      'content-type': `${asset.type}; charset=utf-8`,
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
  })
}
