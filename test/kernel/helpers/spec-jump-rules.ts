/**
 * The 14 base-chain jump rules of spec §2.2, in table order, written out from the spec for the
 * printer tests (independent of the renderer's JUMP_RULES, which the kernel suite uses).
 */
import type { JumpRule } from '../../../src/core/proxy/iptables/ir.ts'

const NEW = [{ kind: 'conntrack' as const, states: ['NEW'], negate: false }]

/** Spec §2.2 table rows 1–14. */
export const SPEC_JUMP_RULES: readonly JumpRule[] = [
  { table: 'filter', from: 'INPUT', to: 'KUBE-EXTERNAL-SERVICES', extraArgs: NEW, comment: 'kubernetes externally-visible service portals' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-EXTERNAL-SERVICES', extraArgs: NEW, comment: 'kubernetes externally-visible service portals' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-NODEPORTS', extraArgs: [], comment: 'kubernetes health check service ports' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-SERVICES', extraArgs: NEW, comment: 'kubernetes service portals' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-SERVICES', extraArgs: NEW, comment: 'kubernetes service portals' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', extraArgs: [], comment: 'kubernetes forwarding rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-PROXY-FIREWALL', extraArgs: NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-PROXY-FIREWALL', extraArgs: NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', extraArgs: NEW, comment: 'kubernetes load balancer firewall' },
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', extraArgs: [], comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', extraArgs: [], comment: 'kubernetes service portals' },
  { table: 'nat', from: 'POSTROUTING', to: 'KUBE-POSTROUTING', extraArgs: [], comment: 'kubernetes postrouting rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-FIREWALL', extraArgs: [], comment: '' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-FIREWALL', extraArgs: [], comment: '' },
]
