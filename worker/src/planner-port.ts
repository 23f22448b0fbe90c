/**
 * @module worker/planner-port
 * The port between the HTTP layer and the planner core: the app hands over a checked body and a
 * format, and gets back text to send. `planner.ts` implements it with `#core`.
 */
import type { RequestBody } from './request.ts'

/** The three API operations. */
export type RouteName = 'plan' | 'diff' | 'trace'

/** `?format=` values per route; the first is the default. Mirrors the CLI's `-o` choices. */
export const FORMATS = {
  plan: ['json', 'text', 'markdown', 'iptables-restore', 'iptables-save', 'iptables-list', 'nft', 'nft-list', 'mermaid', 'dot', 'svg'],
  diff: ['json', 'text', 'markdown'],
  trace: ['json', 'text', 'mermaid', 'dot', 'svg'],
} as const satisfies Record<RouteName, readonly string[]>

/** Limits the app passes down (the body cap doubles as the parser's per-file byte cap). */
export interface RunLimits {
  readonly maxBytes: number
}

/** A rendered answer. Problems are thrown as `HttpError` instead. */
export interface Rendered {
  readonly contentType: string
  readonly body: string
}

/** What the app needs from the planner. */
export interface Planner {
  run(route: RouteName, body: RequestBody, format: string, limits: RunLimits): Rendered
}
