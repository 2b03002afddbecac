import os from 'node:os'

/** The `machine` block of the JSON report. */
export interface MachineInfo {
  cpus: number
  cpu_model: string
  memory_gb: number
  platform: string
  arch: string
}

/**
 * Describe the machine the benchmarks run on, from `node:os`.
 * @example getMachineInfo() // { cpus: 2, cpu_model: 'AMD EPYC', memory_gb: 23.4, platform: 'linux', arch: 'x64' }
 */
export function getMachineInfo(): MachineInfo {
  const cpus = os.cpus()
  return {
    cpus: cpus.length || os.availableParallelism(),
    cpu_model: cpus[0]?.model.trim() || 'unknown',
    memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: os.platform(),
    arch: os.arch(),
  }
}
