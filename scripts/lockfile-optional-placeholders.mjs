#!/usr/bin/env node
// Works around npm/cli#9846: when the registry cannot serve an optional dependency (this
// workplace's mirror carries only this platform's native binaries), `npm install` leaves it out of
// package-lock.json and `npm ci` then refuses the lock as "out of sync". Record each missing
// optional dependency as an optional placeholder; `npm ci` then tries it, finds it unavailable and
// skips it, as npm does for any optional dependency that cannot be installed.
// Run after every `npm install` that changes dependencies: `node scripts/lockfile-optional-placeholders.mjs`.
import { readFileSync, writeFileSync } from 'node:fs'

const path = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(path, 'utf8'))
const packages = lock.packages
let added = 0
for (const [location, meta] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${location}/node_modules/${name}`
    const top = `node_modules/${name}`
    if (packages[nested] || packages[top]) continue
    const version = /^\d+\.\d+\.\d+(?:-[\w.]+)?$/.test(range) ? range : range.replace(/^[\^~]/, '')
    packages[top] = { version, ...(meta.dev ? { dev: true } : {}), optional: true }
    added++
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  )
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`)
}
console.log(`lockfile: ${added} optional placeholder(s) added`)
