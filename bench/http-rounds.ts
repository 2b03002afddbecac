// Alternating rounds for the HTTP bench: each round measures every contender once, in turn, so a
// slow spell of the shared host lands on all of them.
import { roundsFor } from './settings.js'

/**
 * Runs `warmup` once per contender, then `roundsFor(undefined)` rounds of `measure`, alternating
 * contenders within each round; answers the per-round values of each contender.
 * @example const [kobo, bare] = await alternate([koboServer, bareServer], (s) => throughputRound(s, …))
 */
export async function alternate<C, V>(
  contenders: readonly C[],
  measure: (contender: C) => Promise<V>,
  warmup: (contender: C) => Promise<unknown> = measure,
): Promise<V[][]> {
  for (const c of contenders) await warmup(c)
  const perRound = contenders.map((): V[] => [])
  for (let r = 0; r < roundsFor(undefined); r++)
    for (const [i, c] of contenders.entries()) perRound[i]!.push(await measure(c))
  return perRound
}
