/**
 * @module report/sarif
 * Plan issues and diff findings as a SARIF 2.1.0 log, the format GitHub code scanning
 * (`github/codeql-action/upload-sarif`) and other static-analysis viewers read. One run, tool
 * `kube-whatif`; each issue code is a rule (`ruleId`), each issue with a file a result located at
 * `file:line:column`. Issues with no file (cluster-wide facts) are not code findings: they go to
 * the run's tool notifications, so a viewer that requires a location never rejects the log.
 * Same input, same bytes: results keep the report's order, rules are sorted by id.
 */
import type { ObjectRef, SourceSpan } from '../issues.ts'

/** Where the issue-code catalogue lives (each rule's help link). */
const ISSUES_DOC = 'https://github.com/kube-whatif/kube-whatif/blob/main/docs/issues.md'

/** SARIF's result levels. */
type Level = 'error' | 'warning' | 'note'

/** What a plan issue and a diff finding have in common, plus its SARIF level. */
export interface SarifItem {
  readonly code: string
  readonly level: Level
  readonly message: string
  readonly ref?: ObjectRef
  readonly path?: string
  readonly source?: SourceSpan
  /** Extra facts kept under `properties` (e.g. the diff side). */
  readonly properties?: Readonly<Record<string, string>>
}

/** Options of {@link renderSarif}. */
export interface SarifOptions {
  /** The tool version (`tool.driver.version`). */
  readonly version?: string
}

/** `ns/name` or `Kind ns/name` of the object an issue is about, for the logical location. */
const refName = (r: ObjectRef): string => `${r.kind} ${r.namespace === '' ? r.name : `${r.namespace}/${r.name}`}`

/** A relative file path as a URI reference: each segment percent-encoded, `/` kept. */
const fileUri = (file: string): string => file.split('/').map(encodeURIComponent).join('/')

const located = (i: SarifItem): i is SarifItem & { source: SourceSpan } => i.source !== undefined && i.source.file !== '' && i.source.line >= 1

function result(item: SarifItem & { source: SourceSpan }, ruleIndex: number): unknown {
  const region: Record<string, number> = { startLine: item.source.line }
  if (item.source.column >= 1) region.startColumn = item.source.column
  return {
    ruleId: item.code,
    ruleIndex,
    level: item.level,
    message: { text: item.message },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: fileUri(item.source.file), uriBaseId: '%SRCROOT%' }, region },
        ...(item.ref !== undefined ? { logicalLocations: [{ fullyQualifiedName: refName(item.ref), kind: 'object' }] } : {}),
      },
    ],
    ...(item.path !== undefined || item.properties !== undefined ? { properties: { ...(item.path !== undefined ? { fieldPath: item.path } : {}), ...item.properties } } : {}),
  }
}

/**
 * Renders issues as a SARIF 2.1.0 log (two-space JSON, final newline).
 *
 * @example
 * renderSarif([{ code: 'alloc/node-port-taken', level: 'error', message: '…', source: { file: 'svc.yaml', line: 9, column: 5 } }])
 */
export function renderSarif(items: readonly SarifItem[], options: SarifOptions = {}): string {
  const codes = [...new Set(items.filter(located).map((i) => i.code))].sort()
  const ruleIndex = new Map(codes.map((c, n) => [c, n]))
  // docs/issues.md has one table row per code (rows have no anchors): the link is to the catalogue.
  const rules = codes.map((id) => ({ id, helpUri: ISSUES_DOC }))
  const results = items.filter(located).map((i) => result(i, ruleIndex.get(i.code) ?? 0))
  const notes = items
    .filter((i) => !located(i))
    .map((i) => ({ level: i.level, message: { text: i.message }, descriptor: { id: i.code }, ...(i.path !== undefined ? { properties: { fieldPath: i.path } } : {}) }))
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-whatif',
            informationUri: 'https://github.com/kube-whatif/kube-whatif',
            ...(options.version !== undefined ? { version: options.version } : {}),
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notes }],
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory kube-whatif ran in; manifest paths are relative to it.' } } },
        results,
      },
    ],
  }
  return `${JSON.stringify(log, null, 2)}\n`
}
