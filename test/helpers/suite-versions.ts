/**
 * The Kubernetes version each conformance suite is pinned at: its cases are facts about one
 * upstream release, so the runner plans them at that release (`--kubernetes-version`), whatever
 * the default becomes. docs/versions.md lists the same table; a test keeps the two in step.
 */
import { join } from 'node:path'
import type { KubernetesVersion } from '../../src/core/model/version.ts'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures')

/** One pinned suite: its folder under test/fixtures and the release its cases come from. */
export interface PinnedSuite {
  readonly folder: string
  readonly version: KubernetesVersion
  /** Why this version (the provenance the suite's README gives). */
  readonly why: string
}

export const PINNED_SUITES: readonly PinnedSuite[] = [
  {
    folder: 'conformance/kube-proxy-iptables',
    version: '1.33',
    why: 'converted from proxier_test.go of the v1.32–v1.33 era (its README); both releases render these cases alike',
  },
  {
    folder: 'synthetic/kube-proxy-iptables',
    version: '1.33',
    why: 'hand-written from the same proxier_test.go as the conformance cases',
  },
]

/** The version the suite holding `dir` is pinned at; throws for a folder no suite names. */
export function suiteVersion(dir: string): KubernetesVersion {
  const suite = PINNED_SUITES.find((s) => join(FIXTURES, s.folder) === dir)
  if (suite === undefined) throw new Error(`no pinned Kubernetes version for ${dir}: add it to PINNED_SUITES`)
  return suite.version
}
