/**
 * What a server does between two requests: lets timers run (the storage's idle work among them).
 *
 * @example
 * await storage.events.append(events, effects)
 * await turnOfTheEventLoop()
 */
export const turnOfTheEventLoop = (): Promise<unknown> => new Promise((resolve) => setTimeout(resolve, 1))
