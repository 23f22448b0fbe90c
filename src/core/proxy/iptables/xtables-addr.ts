/**
 * @module proxy/iptables/xtables-addr
 * Addresses the way the iptables binary reads and prints them, which is not Go's way: libxtables
 * parses IPv4 octets with strtoul base 0 (so `010` is octal) and autocompletes `10` to `10.0.0.0`
 * (libxtables/xtables.c `__numeric_to_ipaddr`), parses IPv6 with inet_pton, applies the mask to
 * the address before the rule reaches the kernel (`xtables_ipparse_any`), and prints with glibc
 * `inet_ntop` (IPv4-mapped IPv6 stays `::ffff:a.b.c.d`). Used by the save and list printers.
 */
import { inetNtop } from '../../net/inet-ntop.ts'
import type { IPFamily } from '../../model/k8s.ts'

/** An address/mask pair as the kernel stores it (`ip.src`/`ip.smsk`); `addr` is already masked. */
export interface XtAddr {
  readonly family: IPFamily
  readonly addr: bigint
  readonly mask: bigint
}

const BITS: Record<IPFamily, number> = { IPv4: 32, IPv6: 128 }

function allOnes(family: IPFamily): bigint {
  return (1n << BigInt(BITS[family])) - 1n
}

function prefixMask(family: IPFamily, prefix: number): bigint {
  const bits = BITS[family]
  return (allOnes(family) >> BigInt(bits - prefix)) << BigInt(bits - prefix)
}

/** C `strtoul(s, &end, 0)` over the whole string, as libxtables' xtables_strtoui; undefined if junk. */
function strtoulBase0(s: string, max: number): number | undefined {
  let body = s
  let radix = 10
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) {
    body = s.slice(2)
    radix = 16
  } else if (/^0[0-7]+$/.test(s)) {
    body = s.slice(1)
    radix = 8
  } else if (!/^[0-9]+$/.test(s)) {
    return undefined
  }
  const n = parseInt(body, radix)
  return Number.isFinite(n) && n <= max ? n : undefined
}

/**
 * C strtoul(s, NULL, 0) for a mark/mask value (restore parser and kernel view share it); undefined
 * when not a full u32 number. Unlike {@link strtoulBase0} it rejects `08`/`09`, as the two callers
 * always have.
 */
export function parseU32(s: string): number | undefined {
  let n: number
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) n = parseInt(s.slice(2), 16)
  else if (/^0[0-7]*$/.test(s)) n = parseInt(s, 8)
  else if (/^[1-9][0-9]*$/.test(s)) n = parseInt(s, 10)
  else return undefined
  return n <= 0xffffffff ? n : undefined
}

/** libxtables `__numeric_to_ipaddr`: up to four parts, missing trailing parts are zero unless a mask. */
function parseIPv4(text: string, isMask: boolean): bigint | undefined {
  const parts = text.split('.')
  if (parts.length > 4 || (isMask && parts.length !== 4)) return undefined
  let v = 0n
  for (let i = 0; i < 4; i++) {
    const p = parts[i]
    const n = p === undefined ? 0 : strtoulBase0(p, 255)
    if (n === undefined) return undefined
    v = (v << 8n) | BigInt(n)
  }
  return v
}

/** glibc `inet_pton(AF_INET6)`: hex groups, one `::`, optional dotted IPv4 tail; no zone. */
function parseIPv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined
  let s = text
  let tail: bigint[] = []
  const lastColon = s.lastIndexOf(':')
  if (s.includes('.')) {
    const v4 = s.slice(lastColon + 1)
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(v4)) return undefined
    const octets = v4.split('.').map(Number)
    if (octets.some((o) => o > 255)) return undefined
    const [a = 0, b = 0, c = 0, d = 0] = octets
    tail = [BigInt((a << 8) | b), BigInt((c << 8) | d)]
    s = s.slice(0, lastColon + 1)
    if (s.endsWith(':') && !s.endsWith('::')) s = s.slice(0, -1)
  }
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const group = (g: string): bigint | undefined => (/^[0-9a-fA-F]{1,4}$/.test(g) ? BigInt(parseInt(g, 16)) : undefined)
  const parseHalf = (h: string | undefined): bigint[] | undefined => {
    if (h === undefined || h === '') return []
    const out: bigint[] = []
    for (const g of h.split(':')) {
      const v = group(g)
      if (v === undefined) return undefined
      out.push(v)
    }
    return out
  }
  const head = parseHalf(halves[0])
  const rest = parseHalf(halves[1])
  if (head === undefined || rest === undefined) return undefined
  const back = [...rest, ...tail]
  let groups: bigint[]
  if (halves.length === 2) {
    const fill = 8 - head.length - back.length
    if (fill < 1) return undefined
    groups = [...head, ...new Array<bigint>(fill).fill(0n), ...back]
  } else {
    groups = [...head, ...back]
    if (groups.length !== 8) return undefined
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n)
}

/** Parses an address the way `iptables -s/-d` does (one address, optional `/len` or `/mask`). */
export function parseXtAddr(text: string, family: IPFamily): XtAddr | undefined {
  const slash = text.indexOf('/')
  const addrText = slash < 0 ? text : text.slice(0, slash)
  const maskText = slash < 0 ? undefined : text.slice(slash + 1)
  const addr = family === 'IPv4' ? parseIPv4(addrText, false) : parseIPv6(addrText)
  if (addr === undefined) return undefined
  let mask = allOnes(family)
  if (maskText !== undefined) {
    const asPrefix = /^\d+$/.test(maskText) ? Number(maskText) : undefined
    if (asPrefix !== undefined) {
      if (asPrefix > BITS[family]) return undefined
      mask = prefixMask(family, asPrefix)
    } else {
      const m = family === 'IPv4' ? parseIPv4(maskText, true) : parseIPv6(maskText)
      if (m === undefined) return undefined
      mask = m
    }
  }
  return { family, addr: addr & mask, mask }
}

/** glibc `inet_ntop` of a 32-bit (IPv4) or 128-bit (IPv6) value (one implementation, in net/). */
export const ntop = inetNtop

/** The prefix length when the mask is contiguous, else undefined. */
export function maskPrefix(a: XtAddr): number | undefined {
  const bits = BITS[a.family]
  for (let p = 0; p <= bits; p++) if (prefixMask(a.family, p) === a.mask) return p
  return undefined
}

/** True for `0.0.0.0/0` / `::/0`, which iptables-save omits when not negated. */
export function isAnyAddr(a: XtAddr): boolean {
  return a.addr === 0n && a.mask === 0n
}

/** iptables-save form: always with a mask; `/len` when contiguous (mask_to_str / xtables_ip6mask_to_numeric). */
export function saveAddr(a: XtAddr): string {
  const p = maskPrefix(a)
  return `${ntop(a.family, a.addr)}/${p === undefined ? ntop(a.family, a.mask) : String(p)}`
}

/** `iptables -L -n` form: no suffix for a host address (xtables_ipmask_to_numeric returns ""). */
export function listAddr(a: XtAddr): string {
  const p = maskPrefix(a)
  if (p === BITS[a.family]) return ntop(a.family, a.addr)
  return `${ntop(a.family, a.addr)}/${p === undefined ? ntop(a.family, a.mask) : String(p)}`
}

/** The all-ones mask as printed by `recent` (`255.255.255.255` / `ffff:…:ffff`). */
export function fullMaskText(family: IPFamily): string {
  return ntop(family, allOnes(family))
}

/** True when `text` parses as the all-ones mask of the family. */
export function isFullMask(text: string, family: IPFamily): boolean {
  const v = family === 'IPv4' ? parseIPv4(text, true) : parseIPv6(text)
  return v === allOnes(family)
}

/**
 * Canonical `--to-destination` text: `ADDR[-ADDR][:PORT[-PORT]]`, IPv6 as `[ADDR]…`, addresses
 * re-printed with inet_ntop (libxt_DNAT.c parse + print). Undefined when it does not parse.
 */
export function canonicalNatRange(text: string, family: IPFamily): string | undefined {
  let addrs: string
  let ports: string | undefined
  if (family === 'IPv6') {
    const m = /^\[([^\]]+)\](?::(.+))?$/.exec(text)
    if (m) {
      addrs = m[1] ?? ''
      ports = m[2]
    } else if (!text.includes('[')) {
      addrs = text
    } else return undefined
  } else {
    const colon = text.indexOf(':')
    addrs = colon < 0 ? text : text.slice(0, colon)
    ports = colon < 0 ? undefined : text.slice(colon + 1)
  }
  const range = addrs.split('-')
  if (range.length > 2) return undefined
  const printed: string[] = []
  for (const r of range) {
    const v = family === 'IPv4' ? parseIPv4(r, false) : parseIPv6(r)
    if (v === undefined) return undefined
    printed.push(ntop(family, v))
  }
  let portText = ''
  if (ports !== undefined) {
    const pr = ports.split('-')
    if (pr.length > 2 || pr.some((p) => !/^\d+$/.test(p) || Number(p) > 65535)) return undefined
    const [lo, hi] = pr.map(Number)
    portText = hi === undefined || hi === lo ? `:${lo}` : `:${lo}-${hi}`
  }
  const a = printed.length === 2 && printed[0] !== printed[1] ? `${printed[0]}-${printed[1]}` : (printed[0] ?? '')
  return family === 'IPv6' && portText !== '' ? `[${a}]${portText}` : `${a}${portText}`
}
