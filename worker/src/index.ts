/**
 * @module worker
 * Cloudflare Worker entry: the Hono app wired to the real planner core.
 */
import { createApp } from './app.ts'
import { corePlanner } from './planner.ts'

export type { Env } from './app.ts'

/** The Worker (`export default` with a `fetch` handler, as workerd expects). */
export default createApp(corePlanner)
