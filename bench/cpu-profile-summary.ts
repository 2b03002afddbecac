// Summarizes a V8 `.cpuprofile` (as `node --cpu-prof` writes): self time by function and by where
// the code lives (kobometer's http layer, its core, each dependency, node internals, native work).
// Usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
}
interface ProfileNode {
  id: number
  callFrame: CallFrame
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Where a frame's code lives: `src/http`, `src/core/…`, a package name, `node:…` or a V8 pseudo-frame. */
function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame
  if (url === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`
  if (url.startsWith('node:')) return url
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (pkg !== null) return pkg[1] ?? url
  const own = /\/(src\/[^/]+(?:\/[^/]+)?|bench)\//.exec(url)
  return own?.[1] ?? url
}

const file = process.argv[2]
if (file === undefined) throw new Error('usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top]')
const top = Number(process.argv[3] ?? 25)
if (!Number.isInteger(top) || top < 1) throw new Error(`top: a whole number of rows, got ${process.argv[3]}`)
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]))
const selfByFrame = new Map<string, number>()
const selfByArea = new Map<string, number>()
let total = 0
let idle = 0
for (const [i, id] of profile.samples.entries()) {
  const frame = byId.get(id)
  const us = profile.timeDeltas[i] ?? 0
  if (frame === undefined) continue
  // Waiting in the event loop is not work: shares are of the time the process was busy.
  if (frame.functionName === '(idle)') {
    idle += us
    continue
  }
  total += us
  const short = frame.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')
  const key = `${frame.functionName || '(anonymous)'} ${short}:${frame.lineNumber + 1}`
  selfByFrame.set(key, (selfByFrame.get(key) ?? 0) + us)
  const area = areaOf(frame)
  selfByArea.set(area, (selfByArea.get(area) ?? 0) + us)
}
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`)
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(
      `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}\n`,
    )
}
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle`)
print('self time by area', selfByArea)
print('self time by function', selfByFrame)
