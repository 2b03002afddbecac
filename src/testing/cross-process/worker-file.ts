import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The child process's script and the Node options it needs. */
export interface WorkerFile {
  path: string
  execArgv: string[]
}

/**
 * Finds the cross-process worker next to this code. From source (this file is TypeScript) it is
 * `storage-worker.ts`, run through tsx; from the package it is the built `testing/storage-worker.js`
 * in `dist`, where this code sits in an entry file or a shared chunk.
 *
 * @example
 * const { path, execArgv } = storageWorkerFile()
 * spawn(process.execPath, [...execArgv, path, task])
 */
export function storageWorkerFile(): WorkerFile {
  const here = fileURLToPath(import.meta.url)
  const dir = dirname(here)
  if (here.endsWith('.ts')) return { path: join(dir, 'storage-worker.ts'), execArgv: ['--import', 'tsx'] }
  const candidates = [join(dir, 'testing', 'storage-worker.js'), join(dir, 'storage-worker.js')]
  const found = candidates.find((file) => existsSync(file))
  if (found === undefined)
    throw new Error(
      `kobometer/testing: the cross-process worker is missing (looked for ${candidates.join(', ')})`,
    )
  return { path: found, execArgv: [] }
}
