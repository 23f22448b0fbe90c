/**
 * IP and CIDR parsing/formatting with Go semantics.
 *
 * kube-proxy parses every address with k8s.io/utils/net ParseIPSloppy / ParseCIDRSloppy, which are
 * frozen copies of Go 1.16's net.ParseIP / net.ParseCIDR: IPv4 octets are plain decimal and leading
 * zeros are tolerated ("010" is ten, not octal), IPv6 zones are rejected, and an IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) *is* an IPv4 address (net.IP.To4 succeeds). Output mirrors
 * net.IP.String() / net.IPNet.String(), which is what ends up inside the rules kube-proxy writes.
 */

/** Address family, spelled as Kubernetes spells `ipFamilies`. */
export type Family = 'IPv4' | 'IPv6'

/** A parsed address: `value` is a 32-bit (IPv4) or 128-bit (IPv6) unsigned integer. */
export interface ParsedIP {
  readonly family: Family
  readonly value: bigint
}

/** A parsed CIDR; `network` is the address already masked to `prefix` bits (IPNet.IP). */
export interface ParsedCIDR {
  readonly family: Family
  readonly network: bigint
  readonly prefix: number
}

/** Go's `big` sentinel in net/parse.go: numbers at or above it abort dtoi/xtoi. */
const BIG = 0xffffff
/** High 96 bits of an IPv4-mapped IPv6 address (::ffff:0:0/96). */
const MAPPED_PREFIX = 0xffffn

interface NumScan {
  readonly n: number
  readonly len: number
}

/** mirrors net/parse.go dtoi: leading decimal digits of s (any count, leading zeros fine). */
function dtoi(s: string): NumScan | undefined {
  let n = 0
  let i = 0
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) break
    n = n * 10 + (c - 48)
    if (n >= BIG) return undefined
  }
  return i === 0 ? undefined : { n, len: i }
}

/** mirrors net/parse.go xtoi: leading hex digits of s, case-insensitive. */
function xtoi(s: string): NumScan | undefined {
  let n = 0
  let i = 0
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    let d: number
    if (c >= 48 && c <= 57) d = c - 48
    else if (c >= 97 && c <= 102) d = c - 87
    else if (c >= 65 && c <= 70) d = c - 55
    else break
    n = n * 16 + d
    if (n >= BIG) return undefined
  }
  return i === 0 ? undefined : { n, len: i }
}

/**
 * mirrors Go 1.16 net.parseIPv4; returns the 32-bit value. Scans by index with the value in a
 * double (dtoi's digits, its `big` cut-off folded into the octet's > 255 check, which fails
 * first), where slicing the rest and a bigint per octet made address parsing a visible share
 * of a plan's allocations.
 */
function parseIPv4(s: string): bigint | undefined {
  let v = 0
  let p = 0
  const n = s.length
  for (let i = 0; i < 4; i++) {
    if (p >= n) return undefined
    if (i > 0) {
      if (s.charCodeAt(p) !== 46) return undefined
      p++
    }
    const start = p
    let octet = 0
    for (; p < n; p++) {
      const c = s.charCodeAt(p)
      if (c < 48 || c > 57) break
      octet = octet * 10 + (c - 48)
      if (octet > 0xff) return undefined
    }
    if (p === start) return undefined
    v = v * 256 + octet
  }
  return p === n ? BigInt(v) : undefined
}

/** mirrors Go 1.16 net.parseIPv6 (zoneAllowed=false); returns the 128-bit value. */
function parseIPv6(input: string): bigint | undefined {
  const bytes = new Array<number>(16).fill(0)
  let s = input
  let ellipsis = -1
  if (s.length >= 2 && s[0] === ':' && s[1] === ':') {
    ellipsis = 0
    s = s.slice(2)
    if (s.length === 0) return 0n
  }
  let i = 0
  while (i < 16) {
    const x = xtoi(s)
    if (x === undefined || x.n > 0xffff) return undefined
    if (x.len < s.length && s[x.len] === '.') {
      // Trailing dotted IPv4: only valid in the last 32 bits (or anywhere an ellipsis can stretch).
      if (ellipsis < 0 && i !== 12) return undefined
      if (i + 4 > 16) return undefined
      const v4 = parseIPv4(s)
      if (v4 === undefined) return undefined
      bytes[i] = Number((v4 >> 24n) & 0xffn)
      bytes[i + 1] = Number((v4 >> 16n) & 0xffn)
      bytes[i + 2] = Number((v4 >> 8n) & 0xffn)
      bytes[i + 3] = Number(v4 & 0xffn)
      s = ''
      i += 4
      break
    }
    bytes[i] = x.n >> 8
    bytes[i + 1] = x.n & 0xff
    i += 2
    s = s.slice(x.len)
    if (s.length === 0) break
    if (s[0] !== ':' || s.length === 1) return undefined
    s = s.slice(1)
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined
      ellipsis = i
      s = s.slice(1)
      if (s.length === 0) break
    }
  }
  if (s.length !== 0) return undefined
  if (i < 16) {
    if (ellipsis < 0) return undefined
    const n = 16 - i
    for (let j = i - 1; j >= ellipsis; j--) bytes[j + n] = bytes[j] ?? 0
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) bytes[j] = 0
  } else if (ellipsis >= 0) {
    // An ellipsis must stand for at least one zero group.
    return undefined
  }
  let v = 0n
  for (const b of bytes) v = (v << 8n) | BigInt(b)
  return v
}

/** Go's To4(): a 128-bit value in ::ffff:0:0/96 is an IPv4 address. */
function fromV6(v: bigint): ParsedIP {
  if (v >> 32n === MAPPED_PREFIX) return { family: 'IPv4', value: v & 0xffffffffn }
  return { family: 'IPv6', value: v }
}

/**
 * Parse like k8s.io/utils/net ParseIPSloppy (Go 1.16 net.ParseIP): IPv4 octets may carry leading
 * zeros (read as decimal), IPv4-mapped IPv6 is IPv4, zones and surrounding spaces are rejected.
 */
export function parseIPSloppy(s: string): ParsedIP | undefined {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '.') {
      const v = parseIPv4(s)
      return v === undefined ? undefined : { family: 'IPv4', value: v }
    }
    if (s[i] === ':') {
      const v = parseIPv6(s)
      return v === undefined ? undefined : fromV6(v)
    }
  }
  return undefined
}

/**
 * Format like Go net.IP.String(): dotted quad for IPv4; for IPv6 lowercase hex groups without
 * leading zeros, the longest run (≥2) of zero groups collapsed to "::", first run on a tie.
 */
export function formatIP(ip: ParsedIP): string {
  if (ip.family === 'IPv4') {
    // The low 32 bits as a double: four bigint shifts and conversions per address otherwise.
    const v = Number(ip.value & 0xffffffffn)
    return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`
  }
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn))
  return formatIPv6Groups(groups)
}

/**
 * An IPv6 address given as its eight 16-bit groups (most significant first), formatted as
 * {@link formatIP} formats it (Go net.IP.String, RFC 5952: the longest run of two or more zero
 * groups, the first of equal runs, as `::`; lowercase hex without leading zeros). Callers that
 * format many addresses of one network change only the last group, without bigint arithmetic.
 */
export function formatIPv6Groups(groups: readonly number[]): string {
  let e0 = -1
  let e1 = -1
  for (let i = 0; i < 8; i++) {
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j > i && j - i > e1 - e0) {
      e0 = i
      e1 = j
      i = j
    }
  }
  if (e1 - e0 <= 1) {
    e0 = -1
    e1 = -1
  }
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (i === e0) {
      out += '::'
      i = e1 - 1
      continue
    }
    if (i > 0 && i !== e1) out += ':'
    out += (groups[i] ?? 0).toString(16)
  }
  return out
}

/** `ParseIPSloppy(s).String()`, or undefined when s does not parse. */
export function canonicalIP(s: string): string | undefined {
  const ip = parseIPSloppy(s)
  return ip === undefined ? undefined : formatIP(ip)
}

function maskOf(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n
  return (all >> BigInt(bits - prefix)) << BigInt(bits - prefix)
}

/**
 * Parse like k8s.io/utils/net ParseCIDRSloppy (Go 1.16 net.ParseCIDR): the address part as above,
 * the prefix as decimal (leading zeros allowed), network = address & mask. An IPv4-mapped IPv6
 * network with prefix ≥ 96 is an IPv4 network of prefix-96 (IPNet.String / Contains treat it so).
 */
export function parseCIDRSloppy(s: string): ParsedCIDR | undefined {
  const slash = s.indexOf('/')
  if (slash < 0) return undefined
  const addr = s.slice(0, slash)
  const maskText = s.slice(slash + 1)
  let bits = 32
  let v = parseIPv4(addr)
  if (v === undefined) {
    bits = 128
    v = parseIPv6(addr)
  }
  const m = dtoi(maskText)
  if (v === undefined || m === undefined || m.len !== maskText.length || m.n > bits) return undefined
  const network = v & maskOf(bits, m.n)
  if (bits === 32) return { family: 'IPv4', network, prefix: m.n }
  if (m.n >= 96 && network >> 32n === MAPPED_PREFIX) {
    return { family: 'IPv4', network: network & 0xffffffffn, prefix: m.n - 96 }
  }
  return { family: 'IPv6', network, prefix: m.n }
}

/** Format like Go net.IPNet.String(): "network/prefix", e.g. "203.0.113.0/25". */
export function formatCIDR(c: ParsedCIDR): string {
  return `${formatIP({ family: c.family, value: c.network })}/${c.prefix}`
}

/** IPNet.Contains: false when families differ. */
export function cidrContains(c: ParsedCIDR, ip: ParsedIP): boolean {
  if (c.family !== ip.family) return false
  const bits = c.family === 'IPv4' ? 32 : 128
  return (ip.value & maskOf(bits, c.prefix)) === c.network
}

/** k8s.io/utils/net IPFamilyOfString: family of a sloppily parsed IP, undefined if invalid. */
export function ipFamilyOf(s: string): Family | undefined {
  return parseIPSloppy(s)?.family
}

/** Go net.JoinHostPort: brackets the host when it contains a colon (IPv6). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}
