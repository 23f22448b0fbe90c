/** Shared helpers for the renderer's unit tests: YAML in, restore text / chain rules out. */
import { expect } from 'vitest'
import type { ProxyConfig } from '../../../../src/core/model/cluster.ts'
import { buildIptablesRuleset, printIptablesRestore } from '../../../../src/core/proxy/iptables/build.ts'
import type { Ruleset } from '../../../../src/core/proxy/iptables/ir.ts'
import { checkIptablesRuleJumps } from '../../../../src/core/proxy/iptables/normalize.ts'
import { formatRuleLine, printRestore } from '../../../../src/core/proxy/iptables/print-restore.ts'
import { buildProxyState } from '../../../../src/core/proxy/state.ts'
import { fakeProxierConfig, type CaseConfigJson } from '../../../helpers/case-config.ts'
import { objectsFromYaml } from '../../../helpers/k8s-from-raw.ts'

/** A rendered payload with accessors. */
export interface Rendered {
  readonly ruleset: Ruleset
  /** Production restore text (mark `0x00004000`). */
  readonly text: string
  /** `-A CHAIN …` lines of one chain, in order; `[]` when absent. */
  chain(table: 'filter' | 'nat', name: string): string[]
  /** Declared chain names of a table, in declaration order. */
  chains(table: 'filter' | 'nat'): string[]
  /** Every line containing `needle`. */
  grep(needle: string): string[]
}

/** Renders YAML (Services + EndpointSlices) with the fake proxier's settings plus overrides. */
export function render(yaml: string, overrides: Partial<CaseConfigJson> | ProxyConfig = {}): Rendered {
  const cfg = 'masqueradeMark' in overrides ? (overrides as ProxyConfig) : fakeProxierConfig(overrides as Partial<CaseConfigJson>)
  const { services, slices } = objectsFromYaml(yaml)
  const state = buildProxyState(services, slices, cfg)
  const ruleset = buildIptablesRuleset(state, cfg)
  const text = printRestore(ruleset)
  // The plan's `-o iptables-restore` path prints without the IR: same bytes.
  expect(printIptablesRestore(state, cfg)).toBe(text)
  // Every payload the renderer produces must pass upstream's consistency check.
  expect(checkIptablesRuleJumps(text)).toEqual([])
  return {
    ruleset,
    text,
    chain: (table, name) => {
      const c = ruleset.tables.find((t) => t.name === table)?.chains.find((ch) => ch.name === name)
      return (c?.rules ?? []).map((r) => formatRuleLine(name, r))
    },
    chains: (table) => ruleset.tables.find((t) => t.name === table)?.chains.map((c) => c.name) ?? [],
    grep: (needle) => text.split('\n').filter((l) => l.includes(needle)),
  }
}

/** A Service document. `spec` is YAML indented by 2 under `spec:`. */
export function svc(ns: string, name: string, spec: string, status = ''): string {
  return `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}
${status ? `status:\n${status}` : ''}
`
}

/** An EndpointSlice document for `svcName`. `body` holds `endpoints:` and `ports:` at top level. */
export function slice(ns: string, svcName: string, sliceName: string, body: string, addressType = 'IPv4'): string {
  return `---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${sliceName}
  namespace: ${ns}
  labels: {kubernetes.io/service-name: ${svcName}}
addressType: ${addressType}
${body}
`
}
