/**
 * @module parse/envelope
 * Turns raw documents into typed-object envelopes: checks `apiVersion`/`kind`, unwraps `List`
 * and `*List` wrappers, reads `metadata` (namespace defaulted to `default` for namespaced kinds)
 * and gives each object its `source` and `locate`.
 */
import type { Building } from '../building.ts'
import { issue } from '../issues.ts'
import type { ObjectRef, SourceSpan } from '../issues.ts'
import type { ObjectMeta, Origin } from '../model/k8s.ts'
import type { FileContext, RawDocument } from './context.ts'
import { takeDocument } from './context.ts'
import { Fields, isRec, own } from './fields.ts'
import type { Rec } from './fields.ts'

/** One object ready for its typed view. */
export interface Envelope {
  readonly apiVersion: string
  readonly kind: string
  readonly raw: Rec
  readonly source: SourceSpan
  readonly locate: (path: string) => SourceSpan
  readonly origin: Origin
}

/**
 * Kinds without a namespace (`kubectl api-resources --namespaced=false`, built-in ones kube-whatif
 * may meet in a manifest directory). Everything else defaults to namespace `default`.
 */
const CLUSTER_SCOPED = new Set([
  'Node', 'Namespace', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'CertificateSigningRequest', 'ComponentStatus',
  'ServiceCIDR', 'IPAddress', 'FlowSchema', 'PriorityLevelConfiguration', 'GatewayClass', 'ClusterIssuer',
  'KubeProxyConfiguration', 'ClusterProfile',
])

/** True for kinds that live outside namespaces. */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind)
}

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? '' : apiVersion.slice(0, slash)
}

/** How messages name an object: `Service "web" in namespace "default"`, `Node "n1"`. */
export function subjectOf(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} "${ref.name}" in namespace "${ref.namespace}"` : `${ref.kind} "${ref.name}"`
}

/** The name and namespace as written, before any type check, for naming the object in messages. */
export function refOf(env: Envelope): ObjectRef {
  const meta = own(env.raw, 'metadata')
  const name = isRec(meta) && typeof meta['name'] === 'string' ? meta['name'] : ''
  const ns = isRec(meta) && typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default'
  return { kind: env.kind, namespace: isClusterScoped(env.kind) ? '' : ns, name }
}

/** Reads `metadata` with type checks; a missing name is reported through `f` by the caller's rules. */
export function readMetadata(f: Fields, raw: Rec, ref: ObjectRef): ObjectMeta {
  const meta = f.obj(raw, '', 'metadata')
  f.str(meta, 'metadata', 'name')
  f.str(meta, 'metadata', 'namespace')
  const deletionTimestamp = f.str(meta, 'metadata', 'deletionTimestamp')
  const uid = f.str(meta, 'metadata', 'uid')
  const owners = f.objects(meta, 'metadata', 'ownerReferences').map(({ item, path }) => {
    const controller = f.bool(item, path, 'controller')
    return {
      kind: f.str(item, path, 'kind') ?? '',
      name: f.str(item, path, 'name') ?? '',
      ...(controller !== undefined ? { controller } : {}),
    }
  })
  // Assigned field by field in the literal order (building.ts), not with conditional spreads.
  const out: Building<ObjectMeta> = {
    name: ref.name,
    namespace: ref.namespace,
    labels: f.strMap(meta, 'metadata', 'labels') ?? {},
    annotations: f.strMap(meta, 'metadata', 'annotations') ?? {},
  }
  if (uid !== undefined) out.uid = uid
  if (deletionTimestamp !== undefined) out.deletionTimestamp = deletionTimestamp
  if (owners.length > 0) out.ownerReferences = owners
  return out as ObjectMeta
}

function at(locate: (path: string) => SourceSpan, prefix: string): (path: string) => SourceSpan {
  return (path) => locate(path === '' ? prefix : path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`)
}

/**
 * Expands one document into envelopes, unwrapping Lists (recursively: a List may hold Lists).
 * Items of a typed list (`ServiceList`) may omit kind/apiVersion, as the API serves them; they
 * inherit them from the list.
 */
export function envelopes(ctx: FileContext, doc: RawDocument): Envelope[] {
  const out: Envelope[] = []
  const locate = (path: string): SourceSpan => doc.locator.locate(path)
  expand(ctx, doc.value, doc.locator.root(), locate, undefined, out, 'document', (i) => doc.locator.listItem(i))
  return out
}

function expand(
  ctx: FileContext,
  value: unknown,
  source: SourceSpan,
  locate: (path: string) => SourceSpan,
  inherited: { readonly apiVersion: string; readonly kind: string } | undefined,
  out: Envelope[],
  label = 'document',
  itemSource?: (i: number) => SourceSpan,
): void {
  const where = { source }
  if (!isRec(value)) {
    const what = Array.isArray(value) ? 'a list' : value === null || value === undefined ? 'null' : `a ${typeof value}`
    ctx.issues.push(issue('manifest/invalid-document', 'error', `${ctx.file.path}: ${label} is ${what}, not an object; it is ignored`, where))
    return
  }
  const apiVersion = typeof value['apiVersion'] === 'string' && value['apiVersion'] !== '' ? value['apiVersion'] : inherited?.apiVersion
  const kind = typeof value['kind'] === 'string' && value['kind'] !== '' ? value['kind'] : inherited?.kind
  if (apiVersion === undefined || kind === undefined) {
    const missing = [apiVersion === undefined ? 'apiVersion' : '', kind === undefined ? 'kind' : ''].filter(Boolean).join(' and ')
    ctx.issues.push(issue('manifest/missing-type', 'warning', `${ctx.file.path}: ${label} has no ${missing}; it is skipped`, where))
    return
  }
  const items = own(value, 'items')
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(items))) {
    const list = Array.isArray(items) ? items : []
    const itemType = kind === 'List' ? undefined : { apiVersion, kind: kind.slice(0, -'List'.length) }
    for (let i = 0; i < list.length; i++) {
      const itemLocate = at(locate, `items[${i}]`)
      // The top-level List's item positions come from the parse (no position tree of the whole List).
      const source = itemSource ? itemSource(i) : itemLocate('')
      if (!takeDocument(ctx, () => source)) return
      expand(ctx, list[i], source, itemLocate, itemType, out, `${kind} item ${i}`)
    }
    return
  }
  const raw = value['apiVersion'] === apiVersion && value['kind'] === kind ? value : { ...value, apiVersion, kind }
  out.push({ apiVersion, kind, raw, source, locate, origin: ctx.file.origin })
}
