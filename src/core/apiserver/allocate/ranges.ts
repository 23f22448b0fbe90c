/**
 * @module apiserver/allocate/ranges
 * The apiserver's ranges: `--service-cluster-ip-range` (one CIDR per family, primary first) and
 * `--service-node-port-range`, parsed and checked with kube-apiserver's own startup messages
 * (cmd/kube-apiserver/app/options/validation.go validateClusterIPFlags / validateMaxCIDRRange,
 * pkg/kubeapiserver/options ServiceIPRange, k8s.io/apimachinery/pkg/util/net PortRange.Set).
 *
 * The size limit depends on the allocator generation: while the legacy bitmap is written (before
 * 1.34) a range has at most 20 host bits; with IPAddress objects only (1.34+) any size is
 * accepted, but ipallocator.NewIPAllocator refuses IPv6 prefixes shorter than /64.
 */
import { formatCIDR, formatIP, parseCIDRSloppy } from '../../net/ip.ts'
import type { Family, ParsedCIDR } from '../../net/ip.ts'
import { ipStaticBandSize, portStaticBandSize } from './bands.ts'
import type { AllocatorGeneration } from './generation.ts'

/** One Service CIDR as the bitmap allocator sees it. */
export interface IPRange {
  readonly family: Family
  readonly cidr: ParsedCIDR
  /** `IPNet.String()`, used in messages. */
  readonly text: string
  /** network + 1: bitmap offset 0. */
  readonly base: bigint
  /** Usable addresses: IPv4 2^h-2, IPv6 min(2^h, 65536)-1 (bitmap.go New). */
  readonly size: number
  /** Static band size (KEP-3070). */
  readonly offset: number
}

/** The NodePort range. */
export interface PortRange {
  readonly base: number
  readonly size: number
  readonly offset: number
  /** `PortRange.String()`: `min-max`. */
  readonly text: string
}

/** Range parsing result: usable ranges plus the apiserver's startup errors, if any. */
export interface ParsedRanges<T> {
  readonly value: T
  readonly errors: readonly string[]
}

/** Default `--service-cluster-ip-range` as kubeadm sets it. */
export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12'
/** Default `--service-node-port-range`. */
export const DEFAULT_NODE_PORT_RANGE = '30000-32767'

/** Builds the bitmap view of one CIDR. */
export function ipRangeOf(cidr: ParsedCIDR): IPRange {
  const bits = cidr.family === 'IPv4' ? 32 : 128
  const hostBits = bits - cidr.prefix
  // RangeSize: 0 for /31,/32 (v4) and /127,/128 (v6).
  const rangeSize = hostBits <= 1 ? 0n : 2n ** BigInt(hostBits)
  let max: bigint
  if (cidr.family === 'IPv6') max = (rangeSize > 65536n ? 65536n : rangeSize) - 1n
  else max = rangeSize - 2n
  if (max < 0n) max = 0n
  return {
    family: cidr.family,
    cidr,
    text: formatCIDR(cidr),
    base: cidr.network + 1n,
    size: Number(max),
    offset: ipStaticBandSize(hostBits, cidr.family),
  }
}

/** Formats the IP at bitmap offset `k` of a range. */
export function ipAt(r: IPRange, k: number): string {
  return formatIP({ family: r.family, value: r.base + BigInt(k) })
}

const MAX_CIDR_BITS = 20

/**
 * Parses `--service-cluster-ip-range`. Returns the ranges the apiserver would run with and its
 * refusal messages; on any refusal the caller falls back to the default and says so.
 */
export function parseServiceCIDRs(flag: string, generation: AllocatorGeneration = 'bitmap'): ParsedRanges<IPRange[]> {
  const errors: string[] = []
  const parts = flag.split(',').map((s) => s.trim())
  if (flag.trim() === '') return { value: [], errors: ['--service-cluster-ip-range must contain at least one valid cidr'] }
  const cidrs: ParsedCIDR[] = []
  parts.slice(0, 2).forEach((p, i) => {
    const c = parseCIDRSloppy(p)
    // getServiceIPAndRanges words the two failures differently.
    if (c === undefined) errors.push(i === 0 ? 'service-cluster-ip-range[0] is not a valid cidr' : 'service-cluster-ip-range[1] is not an ip net')
    else cidrs.push(c)
  })
  if (errors.length > 0) return { value: [], errors }
  if (parts.length > 2) errors.push('--service-cluster-ip-range must not contain more than two entries')
  const [primary, secondary] = cidrs
  if (primary === undefined) return { value: [], errors: ['--service-cluster-ip-range must contain at least one valid cidr'] }
  // ServiceIPRange: min(RangeSize, 1<<16) >= 8.
  const size = (c: ParsedCIDR): bigint => {
    const h = (c.family === 'IPv4' ? 32 : 128) - c.prefix
    const rs = h <= 1 ? 0n : 2n ** BigInt(h)
    return rs > 65536n ? 65536n : rs
  }
  if (size(primary) < 8n) errors.push('the service cluster IP range must be at least 8 IP addresses')
  const maxCheck = (c: ParsedCIDR, flagName: string): void => {
    const bits = c.family === 'IPv4' ? 32 : 128
    if (generation === 'ipaddress') {
      if (c.family === 'IPv6' && c.prefix < 64) errors.push(`shortest allowed prefix length for service CIDR is 64, got ${c.prefix}`)
      return
    }
    if (bits - c.prefix > MAX_CIDR_BITS) {
      errors.push(`specified ${flagName} is too large; for ${bits}-bit addresses, the mask must be >= ${bits - MAX_CIDR_BITS}`)
    }
  }
  maxCheck(primary, '--service-cluster-ip-range')
  if (secondary !== undefined) {
    if (secondary.family === primary.family) {
      errors.push('--service-cluster-ip-range[0] and --service-cluster-ip-range[1] must be of different IP family')
    }
    // Flag name for the secondary is UNVERIFIED (recalled from validateClusterIPFlags).
    maxCheck(secondary, '--service-cluster-ip-range[1]')
    if (size(secondary) < 8n) errors.push('the service cluster IP range must be at least 8 IP addresses')
  }
  return { value: cidrs.map(ipRangeOf), errors }
}

/** Builds a port range from its first port and size. */
export function portRangeOf(base: number, size: number): PortRange {
  return { base, size, offset: portStaticBandSize(size), text: `${base}-${base + size - 1}` }
}

const INT_RE = /^[+-]?\d+$/

function atoi(s: string): number | string {
  return INT_RE.test(s) ? Number(s) : `strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`
}

/**
 * Parses `--service-node-port-range` like PortRange.Set (`A-B`, `A+N`, or `A`). Messages are
 * wrapped the way pflag reports a bad flag value. UNVERIFIED: exact wrapping text.
 */
export function parseNodePortRange(flag: string): ParsedRanges<PortRange | undefined> {
  const v = flag.trim()
  const fail = (msg: string): ParsedRanges<PortRange | undefined> => ({
    value: undefined,
    errors: [`invalid argument ${JSON.stringify(flag)} for "--service-node-port-range" flag: ${msg}`],
  })
  if (v === '') return fail('unable to parse port range: ')
  const hy = v.indexOf('-')
  const plus = v.indexOf('+')
  let low: number | string
  let high: number | string
  if (hy >= 0 && plus >= 0) return fail(`unable to parse port range: ${v}`)
  if (hy >= 0) {
    low = atoi(v.slice(0, hy))
    high = atoi(v.slice(hy + 1))
  } else if (plus >= 0) {
    low = atoi(v.slice(0, plus))
    const off = atoi(v.slice(plus + 1))
    high = typeof low === 'number' && typeof off === 'number' ? low + off : typeof off === 'string' ? off : low
  } else {
    low = atoi(v)
    high = low
  }
  if (typeof low === 'string') return fail(low)
  if (typeof high === 'string') return fail(high)
  if (low > 65535 || high > 65535) return fail(`the port range cannot be greater than 65535: ${v}`)
  if (high < low) return fail(`end port cannot be less than start port: ${v}`)
  return { value: portRangeOf(low, 1 + high - low), errors: [] }
}
