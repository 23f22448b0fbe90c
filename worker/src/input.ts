/**
 * @module worker/input
 * Turns a parsed JSON request body into the core's inputs: `SourceFile[]` (manifests as text, so
 * the core's parser reports file:line for every problem), plan options and probes. Shape problems
 * are collected (not thrown one by one) and reported together as a 400 with JSON pointers.
 */
import { parseKubernetesVersion, SUPPORTED_VERSIONS_TEXT, type KubernetesVersion, type SourceFile } from '#core'
import { HttpError } from './errors.ts'
import { PROBE_KEYS, PROBE_PROTOCOL_PATTERN, PROBE_PROTOCOLS_TEXT } from './probe-schema.ts'

/** Options every route accepts under `options`. */
export interface RequestOptions {
  readonly node?: string
  readonly ipFamily?: 'IPv4' | 'IPv6'
  /** CLI `--kubernetes-version`: 1.31..1.35 (also `v1.34`, `1.34.2`). */
  readonly kubernetesVersion?: KubernetesVersion
  /** kube-proxy backend (CLI --proxy-mode); on /v1/diff both sides unless the next two say otherwise. */
  readonly proxyMode?: 'iptables' | 'nftables'
  /** /v1/diff only: one side's backend (CLI --base-proxy-mode / --head-proxy-mode). */
  readonly baseProxyMode?: 'iptables' | 'nftables'
  readonly headProxyMode?: 'iptables' | 'nftables'
}

/** One probe for `/v1/trace` (and `/v1/diff`), in the CLI's `--probes FILE` shape. */
export interface RequestProbe {
  readonly name?: string
  readonly from: string
  readonly to: string
  readonly protocol?: string
}

/** A request-shape problem: where (RFC 6901 JSON pointer) and what. */
export interface FieldError {
  readonly pointer: string
  readonly detail: string
}

/** Caps applied while converting JSON objects to text (they mirror the YAML parser's limits). */
export interface InputLimits {
  readonly maxDocuments: number
  readonly maxDepth: number
}

/** Accumulates field errors; `fail()` throws them as one 400. */
export class FieldErrors {
  readonly list: FieldError[] = []
  add(pointer: string, detail: string): void {
    this.list.push({ pointer, detail })
  }
  /** Throws a 400 listing every error, if there are any. */
  throwIfAny(): void {
    if (this.list.length === 0) return
    const first = this.list[0]!
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more problem(s), see errors)` : ''
    throw new HttpError('malformed-request', `${first.pointer || 'body'}: ${first.detail}${more}`, {
      extensions: { errors: this.list },
    })
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Rejects members other than `allowed` (a misspelt `manifest` must not silently plan nothing). */
export function checkKeys(value: Record<string, unknown>, allowed: readonly string[], at: string, errs: FieldErrors): void {
  for (const key of Object.keys(value).sort()) {
    if (!allowed.includes(key)) {
      errs.add(`${at}/${escapePointer(key)}`, `unknown member "${key}"; expected one of: ${allowed.join(', ')}`)
    }
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1')
}

/**
 * Depth of a JSON value, computed iteratively so hostile nesting cannot overflow the stack.
 * Stops counting once `cap` is exceeded.
 */
export function jsonDepth(value: unknown, cap: number): number {
  let max = 0
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [v, d] = stack.pop()!
    if (typeof v !== 'object' || v === null) continue
    if (d > max) max = d
    if (max > cap) return max
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1])
  }
  return max
}

function looksLikeFile(v: Record<string, unknown>): boolean {
  return typeof v['path'] === 'string' && typeof v['text'] === 'string' && v['kind'] === undefined
}

/**
 * Converts a manifests member to source files. Accepted shapes:
 * - a string: YAML or JSON text (multi-document allowed) → one file `<name>.yaml`;
 * - an object or an array of objects: Kubernetes objects → one file per object
 *   (`<name>[i].json`, pretty-printed so issue line numbers point into it);
 * - array elements that are strings (more texts) or `{path, text}` (named files).
 */
export function toSourceFiles(
  value: unknown,
  name: string,
  origin: SourceFile['origin'],
  limits: InputLimits,
  errs: FieldErrors,
): SourceFile[] {
  const at = `/${name}`
  if (value === undefined || value === null) return []
  if (typeof value === 'string') return [{ path: `${name}.yaml`, text: value, origin }]
  const items = Array.isArray(value) ? value : [value]
  if (items.length > limits.maxDocuments) {
    errs.add(at, `${items.length} documents exceed the limit of ${limits.maxDocuments}`)
    return []
  }
  const files: SourceFile[] = []
  const seen = new Set<string>()
  items.forEach((item, i) => {
    const itemAt = Array.isArray(value) ? `${at}/${i}` : at
    const label = Array.isArray(value) ? `${name}[${i}]` : name
    if (typeof item === 'string') {
      files.push({ path: `${label}.yaml`, text: item, origin })
    } else if (isRecord(item) && looksLikeFile(item)) {
      const path = item['path'] as string
      if (path === '' || seen.has(path)) errs.add(`${itemAt}/path`, `file path must be non-empty and unique`)
      seen.add(path)
      files.push({ path, text: item['text'] as string, origin })
    } else if (isRecord(item)) {
      if (jsonDepth(item, limits.maxDepth) > limits.maxDepth) {
        errs.add(itemAt, `object nesting exceeds the depth limit of ${limits.maxDepth}`)
        return
      }
      files.push({ path: `${label}.json`, text: JSON.stringify(item, null, 2) + '\n', origin })
    } else {
      errs.add(itemAt, 'expected YAML/JSON text, a Kubernetes object, or {"path","text"}')
    }
  })
  return files
}

/** Reads `options` (`node`, `ipFamily`, `kubernetesVersion`, `proxyMode`; on /v1/diff also `baseProxyMode`, `headProxyMode`). */
export function readOptions(value: unknown, errs: FieldErrors, diff = false): RequestOptions {
  if (value === undefined || value === null) return {}
  if (!isRecord(value)) {
    errs.add('/options', 'expected an object')
    return {}
  }
  checkKeys(value, ['node', 'ipFamily', 'kubernetesVersion', 'proxyMode', ...(diff ? ['baseProxyMode', 'headProxyMode'] : [])], '/options', errs)
  const out: { -readonly [K in keyof RequestOptions]: RequestOptions[K] } = {}
  for (const key of ['proxyMode', 'baseProxyMode', 'headProxyMode'] as const) {
    const mode = value[key]
    if (mode === undefined) continue
    if (mode === 'iptables' || mode === 'nftables') out[key] = mode
    else errs.add(`/options/${key}`, 'expected "iptables" or "nftables"')
  }
  const node = value['node']
  if (node !== undefined) {
    if (typeof node === 'string' && node !== '') out.node = node
    else errs.add('/options/node', 'expected a non-empty string (a Node name)')
  }
  const fam = value['ipFamily']
  if (fam !== undefined) {
    if (fam === 'IPv4' || fam === 'IPv6') out.ipFamily = fam
    else errs.add('/options/ipFamily', 'expected "IPv4" or "IPv6"')
  }
  const ver = value['kubernetesVersion']
  if (ver !== undefined) {
    const v = typeof ver === 'string' ? parseKubernetesVersion(ver) : undefined
    if (v !== undefined) out.kubernetesVersion = v
    else errs.add('/options/kubernetesVersion', `Kubernetes version not modelled (${SUPPORTED_VERSIONS_TEXT})`)
  }
  return out
}

/** Reads one probe `{name?, from, to, protocol?}`. */
export function readProbe(value: unknown, at: string, errs: FieldErrors): RequestProbe | undefined {
  if (!isRecord(value)) {
    errs.add(at, 'expected an object {"from", "to", "protocol"?, "name"?}')
    return undefined
  }
  checkKeys(value, PROBE_KEYS, at, errs)
  const str = (key: string, required: boolean): string | undefined => {
    const v = value[key]
    if (v === undefined && !required) return undefined
    if (typeof v === 'string' && v.trim() !== '') return v.trim()
    errs.add(`${at}/${key}`, required ? 'required non-empty string' : 'expected a non-empty string')
    return undefined
  }
  const from = str('from', true)
  const to = str('to', true)
  const name = str('name', false)
  const protocol = str('protocol', false)
  if (protocol !== undefined && !new RegExp(PROBE_PROTOCOL_PATTERN).test(protocol)) {
    errs.add(`${at}/protocol`, `expected ${PROBE_PROTOCOLS_TEXT}`)
  }
  if (from === undefined || to === undefined) return undefined
  return {
    from,
    to,
    ...(name !== undefined ? { name } : {}),
    ...(protocol !== undefined ? { protocol: protocol.toLowerCase() } : {}),
  }
}

/** Reads `probe` (one) or `probes` (a list); at least one is required when `required`. */
export function readProbes(
  body: Record<string, unknown>,
  required: boolean,
  maxProbes: number,
  errs: FieldErrors,
): RequestProbe[] {
  const probes: RequestProbe[] = []
  if (body['probe'] !== undefined && body['probes'] !== undefined) {
    errs.add('/probe', 'give either "probe" or "probes", not both')
    return probes
  }
  if (body['probe'] !== undefined) {
    const p = readProbe(body['probe'], '/probe', errs)
    if (p) probes.push(p)
  } else if (body['probes'] !== undefined) {
    const list = body['probes']
    if (!Array.isArray(list)) errs.add('/probes', 'expected an array of probes')
    else if (list.length > maxProbes) errs.add('/probes', `${list.length} probes exceed the limit of ${maxProbes}`)
    else
      list.forEach((p, i) => {
        const probe = readProbe(p, `/probes/${i}`, errs)
        if (probe) probes.push(probe)
      })
  }
  if (required && probes.length === 0 && errs.list.length === 0) {
    errs.add('/probe', 'a trace needs "probe" ({"from","to","protocol"}) or a non-empty "probes" list')
  }
  return probes
}
