/**
 * The rules kube-proxy hooks into the built-in chains on every full sync, outside the restore
 * payload. Mirrors pkg/proxy/iptables/proxier.go
 * iptablesJumpChains and iptablesKubeletJumpChains: for each row, in order, EnsureChain(to) and
 * EnsureRule(Prepend, from, extraArgs…, -m comment --comment C, -j to). Prepending means the
 * last row of a hook ends up first in that built-in chain.
 */
import type { JumpRule, Match } from './ir.ts'

const CT_NEW: readonly Match[] = [{ kind: 'conntrack', states: ['NEW'], negate: false }]

/** kube-proxy's own jump rules, in the order it ensures them. */
export const KUBE_PROXY_JUMP_RULES: readonly JumpRule[] = [
  { table: 'filter', from: 'INPUT', to: 'KUBE-EXTERNAL-SERVICES', extraArgs: CT_NEW, comment: 'kubernetes externally-visible service portals' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-EXTERNAL-SERVICES', extraArgs: CT_NEW, comment: 'kubernetes externally-visible service portals' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-NODEPORTS', extraArgs: [], comment: 'kubernetes health check service ports' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-SERVICES', extraArgs: CT_NEW, comment: 'kubernetes service portals' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-SERVICES', extraArgs: CT_NEW, comment: 'kubernetes service portals' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', extraArgs: [], comment: 'kubernetes forwarding rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-PROXY-FIREWALL', extraArgs: CT_NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-PROXY-FIREWALL', extraArgs: CT_NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', extraArgs: CT_NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', extraArgs: [], comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', extraArgs: [], comment: 'kubernetes service portals' },
  { table: 'nat', from: 'POSTROUTING', to: 'KUBE-POSTROUTING', extraArgs: [], comment: 'kubernetes postrouting rules' },
]

/**
 * Copies of kubelet's KUBE-FIREWALL jumps: kube-proxy creates them (both families; the chain may
 * stay empty) and never removes them in cleanup. The comment is empty, so no comment match.
 */
export const KUBELET_JUMP_RULES: readonly JumpRule[] = [
  { table: 'filter', from: 'INPUT', to: 'KUBE-FIREWALL', extraArgs: [], comment: '' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-FIREWALL', extraArgs: [], comment: '' },
]

/** Every jump rule in ensure order (kube-proxy's, then kubelet's). */
export const JUMP_RULES: readonly JumpRule[] = [...KUBE_PROXY_JUMP_RULES, ...KUBELET_JUMP_RULES]
