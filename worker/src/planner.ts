/**
 * @module worker/planner
 * The `Planner` port implemented with `#core`: request bodies become `SourceFile[]`, the core
 * plans, and the result is rendered exactly as the CLI renders it (`/v1/plan` JSON is
 * `renderPlan(result, 'json')`, byte for byte what `kube-whatif plan -o json` prints).
 * Input problems found by the core decide the status: YAML syntax → 400, parser limits → 400/413,
 * nothing plannable → 422; anything else is a 200 whose JSON lists the issues.
 */
import { DEFAULT_LIMITS, planFromSources, renderPlan } from '#core'
import type { Issue, PlanResult, SourceFile, Staged } from '#core'
import { HttpError } from './errors.ts'
import type { ProblemKind } from './errors.ts'
import { FieldErrors, checkKeys, isRecord, readOptions, toSourceFiles } from './input.ts'
import type { RequestOptions } from './input.ts'
import { FORMAT_MEDIA_TYPES } from './openapi.ts'
import type { Planner, Rendered, RouteName } from './planner-port.ts'
import type { RequestBody } from './request.ts'
import { errorText } from './request.ts'

const INPUT_LIMITS = { maxDocuments: DEFAULT_LIMITS.maxDocuments, maxDepth: DEFAULT_LIMITS.maxDepth }

/** The plan inputs read from a request. */
interface PlanRequest {
  readonly files: readonly SourceFile[]
  readonly options: RequestOptions
}

/** Reads `/v1/plan`'s body: a raw YAML stream, or `{manifests, cluster, options}`. */
function readPlanRequest(body: RequestBody): PlanRequest {
  if (body.kind === 'yaml') return { files: [{ path: 'manifests.yaml', text: body.text, origin: 'proposed' }], options: {} }
  const errs = new FieldErrors()
  const value = expectObject(body.value, errs)
  checkKeys(value, ['manifests', 'cluster', 'options'], '', errs)
  const files = [
    ...toSourceFiles(value['manifests'], 'manifests', 'proposed', INPUT_LIMITS, errs),
    ...toSourceFiles(value['cluster'], 'cluster', 'existing', INPUT_LIMITS, errs),
  ]
  const options = readOptions(value['options'], errs)
  errs.throwIfAny()
  return { files, options }
}

function expectObject(value: unknown, errs: FieldErrors): Record<string, unknown> {
  if (isRecord(value)) return value
  errs.add('', 'expected a JSON object')
  errs.throwIfAny()
  return {}
}

/** Calls into the core; an exception there is a planner bug, reported as 422 (never a 500). */
function guarded<T>(what: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof HttpError) throw err
    throw new HttpError('planner-failure', `The planner failed while ${what}: ${errorText(err)}. This is a bug in kube-whatif; please report it with this input.`)
  }
}

/** Throws when the input itself is broken (YAML syntax, parser limits) or nothing can be planned. */
export function checkPlannable(files: readonly SourceFile[], issues: readonly Issue[], planned: number): void {
  const errors = issues.filter((i) => i.severity === 'error')
  const fail = (kind: ProblemKind, picked: readonly Issue[], lead: string): never => {
    const first = picked[0]!
    const at = first.source ? `${first.source.file}:${first.source.line}: ` : ''
    throw new HttpError(kind, `${lead}: ${at}${first.message}`, { issues: errors })
  }
  const size = errors.filter((i) => i.code === 'limit/documents' || i.code === 'limit/bytes')
  if (size.length > 0) fail('input-too-large', size, 'The input exceeds a size limit')
  const limits = errors.filter((i) => i.code.startsWith('limit/'))
  if (limits.length > 0) fail('input-limit-exceeded', limits, 'The input exceeds a parser limit')
  const yaml = errors.filter((i) => i.code.startsWith('yaml/'))
  if (yaml.length > 0) fail('malformed-yaml', yaml, 'The manifests are not valid YAML/JSON')
  if (files.every((f) => f.text.trim() === '')) {
    throw new HttpError('cannot-plan', 'The request has no manifests: give "manifests" (and optionally "cluster") as YAML/JSON text or objects.')
  }
  if (planned === 0 && errors.length > 0) fail('cannot-plan', errors, 'Nothing could be planned')
}

function planOnce(req: PlanRequest): Staged<PlanResult> {
  const result = guarded('planning', () =>
    planFromSources({ files: req.files, options: { ...req.options } }),
  )
  checkPlannable(req.files, result.issues, result.value.services.length)
  return result
}

function rendered(format: string, body: string): Rendered {
  return { contentType: FORMAT_MEDIA_TYPES[format] ?? 'text/plain; charset=utf-8', body }
}

function runPlan(body: RequestBody, format: string): Rendered {
  const result = planOnce(readPlanRequest(body))
  const fmt = format as Parameters<typeof renderPlan>[1]
  return rendered(format, guarded('rendering', () => renderPlan(result, fmt)))
}

/** The real planner. */
export const corePlanner: Planner = {
  run(route: RouteName, body: RequestBody, format: string): Rendered {
    switch (route) {
      case 'plan':
        return runPlan(body, format)
      case 'diff':
      case 'trace':
        throw new HttpError('cannot-plan', `/v1/${route} is not wired yet.`)
    }
  },
}
