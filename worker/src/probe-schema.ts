/**
 * @module worker/probe-schema
 * One source for what a probe in a request is: the JSON Schema that /openapi.json publishes and
 * the rules input.ts `readProbe` / `readProbes` enforce (keys, required fields, the protocol in
 * any letter case, the per-request cap), so the document and the validation cannot disagree.
 */

/** Probes per request (each one walks the ruleset). */
export const MAX_PROBES = 100

/** Protocols a probe may name; matched without regard to letter case, as the CLI does. */
export const PROBE_PROTOCOLS = ['tcp', 'udp', 'sctp'] as const

/** `tcp` → `[Tt][Cc][Pp]`: JSON Schema patterns have no case-insensitive flag. */
const anyCase = (word: string): string => [...word].map((ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`).join('')

/** `tcp, udp or sctp`, for messages. */
export const PROBE_PROTOCOLS_TEXT = `${PROBE_PROTOCOLS.slice(0, -1).join(', ')} or ${PROBE_PROTOCOLS[PROBE_PROTOCOLS.length - 1]}`

/** The protocol pattern, shared by the schema and `readProbe`. */
export const PROBE_PROTOCOL_PATTERN = `^(${PROBE_PROTOCOLS.map(anyCase).join('|')})$`

/** Strings must hold more than white space (readProbe trims them). */
const NON_BLANK = '\\S'

/** Fields of a probe, required ones first. */
export const PROBE_REQUIRED = ['from', 'to'] as const
export const PROBE_KEYS = ['name', 'from', 'to', 'protocol'] as const

/** JSON Schema of one probe (components.schemas.Probe). */
export const PROBE_SCHEMA = {
  type: 'object',
  required: [...PROBE_REQUIRED],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: NON_BLANK },
    from: { type: 'string', pattern: NON_BLANK, description: 'Source IP, pod:NS/NAME or node:NAME.' },
    to: {
      type: 'string',
      pattern: NON_BLANK,
      description: 'IP:PORT, [IPv6]:PORT, pod:NS/NAME:PORT, node:NAME:PORT, or a Service port svc:NS/NAME:PORT (also NS/NAME:PORT; PORT is the number or the port name).',
    },
    protocol: { type: 'string', pattern: PROBE_PROTOCOL_PATTERN, default: 'tcp', description: `${PROBE_PROTOCOLS.join(', ')} in any letter case; default: the Service port's protocol for svc: destinations, else tcp.` },
  },
} as const

/** JSON Schema of a `probes` list. */
export const PROBES_SCHEMA = { type: 'array', maxItems: MAX_PROBES, items: { $ref: '#/components/schemas/Probe' } } as const
