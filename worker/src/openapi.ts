/**
 * @module worker/openapi
 * The OpenAPI 3.1 description served at `/openapi.json`. Hand-written (no schema library: the
 * bundle stays small) and kept true by `worker/test/openapi.test.ts`, which checks every path,
 * method, status and media type here against the running Worker. The result schemas are the
 * published JSON Schemas (`schemas/*.schema.json`, draft 2020-12, which OpenAPI 3.1 embeds as they are).
 */
import diffSchema from '../../schemas/diff.schema.json' with { type: 'json' }
import planSchema from '../../schemas/plan.schema.json' with { type: 'json' }
import traceSchema from '../../schemas/trace.schema.json' with { type: 'json' }
import { FORMATS } from './planner-port.ts'
import type { RouteName } from './planner-port.ts'
import { PROBE_SCHEMA, PROBES_SCHEMA } from './probe-schema.ts'
import { YAML_MEDIA_TYPES } from './request.ts'
import { VERSION } from './version.ts'

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ref('Problem') } },
})

/** Media type of each `?format=` rendering. */
export const FORMAT_MEDIA_TYPES: Readonly<Record<string, string>> = {
  json: 'application/json',
  text: 'text/plain; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  'iptables-restore': 'text/plain; charset=utf-8',
  'iptables-save': 'text/plain; charset=utf-8',
  'iptables-list': 'text/plain; charset=utf-8',
  nft: 'text/plain; charset=utf-8',
  'nft-list': 'text/plain; charset=utf-8',
  mermaid: 'text/vnd.mermaid; charset=utf-8',
  dot: 'text/vnd.graphviz; charset=utf-8',
  svg: 'image/svg+xml; charset=utf-8',
}

function okResponse(route: RouteName, description: string) {
  const content: Record<string, unknown> = {}
  for (const f of FORMATS[route]) {
    const type = FORMAT_MEDIA_TYPES[f]!.split(';')[0]!
    content[type] ??= { schema: type === 'application/json' ? ref(`${cap(route)}Result`) : { type: 'string' } }
  }
  return { description, content }
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1)
}

function apiOperation(route: RouteName, summary: string, description: string, requestSchema: string, yaml: boolean) {
  const content: Record<string, unknown> = { 'application/json': { schema: ref(requestSchema) } }
  if (yaml) for (const t of YAML_MEDIA_TYPES) content[t] = { schema: { type: 'string', description: 'Manifests as a YAML/JSON document stream.' } }
  return {
    operationId: route,
    summary,
    description,
    security: [{}, { bearerAuth: [] }],
    parameters: [
      {
        name: 'format',
        in: 'query',
        required: false,
        description: 'Rendering to return. `json` (default) is exactly the CLI\'s `-o json`.',
        schema: { type: 'string', enum: [...FORMATS[route]], default: 'json' },
      },
    ],
    requestBody: { required: true, content },
    responses: {
      '200': okResponse(route, 'The result, whenever the CLI prints one: also when some objects have errors, malformed YAML or exceed a parser limit (listed in its issues; the CLI exits 1).'),
      '400': problem('Malformed request: body JSON, unknown member or option, bad probe, unknown format. Malformed YAML inside the manifests is not a 400: as the CLI, the rest is planned and answered 200 with the issues.'),
      '401': problem('API_TOKEN is set and the bearer token is missing or wrong.'),
      '413': problem('The body exceeds MAX_BODY_BYTES (default 1 MiB).'),
      '415': problem('Unsupported Content-Type.'),
      '422': problem('Nothing to plan: no manifests given (the CLI\'s "no input" usage error), or a probe that cannot be traced.'),
    },
  }
}

const manifests = {
  description:
    'Manifests: YAML/JSON text (multi-document), one Kubernetes object, or a list of objects, texts, or {path, text} files. Issues name the file `<member>.yaml`, `<member>[i].json` or the given path.',
  oneOf: [
    { type: 'string' },
    { type: 'object' },
    { type: 'array', items: { oneOf: [{ type: 'string' }, ref('File'), { type: 'object' }] } },
    { type: 'null' },
  ],
}

/** Builds the document; `serverUrl` is the origin it is served from. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'kube-whatif',
      version: VERSION,
      description:
        'What-if planner for Kubernetes Service networking: ClusterIP/NodePort allocation, endpoints, the exact kube-proxy iptables rules, packet traces and diffs. Unknown paths answer 404 and known paths with another method 405 (with Allow), both as application/problem+json. CORS is enabled for browsers.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/': { get: { operationId: 'playground', summary: 'The playground page', responses: { '200': { description: 'HTML page (its script and stylesheet are the two routes below; no other origin).', content: { 'text/html': { schema: { type: 'string' } } } } } } },
      '/playground.js': { get: { operationId: 'playgroundScript', summary: "The playground's script", responses: { '200': { description: 'JavaScript.', content: { 'text/javascript': { schema: { type: 'string' } } } } } } },
      '/playground.css': { get: { operationId: 'playgroundStyle', summary: "The playground's stylesheet", responses: { '200': { description: 'CSS.', content: { 'text/css': { schema: { type: 'string' } } } } } } },
      '/healthz': { get: { operationId: 'healthz', summary: 'Liveness', responses: { '200': { description: 'Up.', content: { 'application/json': { schema: ref('Health') } } } } } },
      '/openapi.json': { get: { operationId: 'openapi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: { type: 'object' } } } } } } },
      '/v1/plan': {
        post: apiOperation('plan', 'Plan Service networking', 'Body: a PlanRequest as JSON, or the manifests themselves as a raw YAML body.', 'PlanRequest', true),
      },
      '/v1/diff': { post: apiOperation('diff', 'Diff two sides (base → head)', 'Plans base and head against the same cluster facts and reports what changes.', 'DiffRequest', false) },
      '/v1/trace': { post: apiOperation('trace', 'Trace packets through the planned rules', 'Plans the manifests, then traces each probe; with `rules`, traces a given iptables ruleset instead.', 'TraceRequest', false) },
    },
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Required on /v1/* only when the API_TOKEN secret is set.' } },
      schemas: {
        Manifests: manifests,
        File: { type: 'object', required: ['path', 'text'], properties: { path: { type: 'string' }, text: { type: 'string' } }, additionalProperties: false },
        Options: {
          type: 'object',
          additionalProperties: false,
          properties: {
            node: { type: 'string', description: 'Node whose view is rendered (CLI --node).' },
            ipFamily: { type: 'string', enum: ['IPv4', 'IPv6'], description: 'CLI --ip-family.' },
            kubernetesVersion: {
              type: 'string',
              pattern: '^v?1\\.3[1-5](\\.\\d+)?$',
              description: 'CLI --kubernetes-version: the Kubernetes release planned, 1.31 to 1.35 (default: the ClusterProfile kubernetesVersion, else 1.35).',
            },
            proxyMode: { type: 'string', enum: ['iptables', 'nftables'], description: 'CLI --proxy-mode: the kube-proxy backend (default: the KubeProxyConfiguration mode; ?format=nft/nft-list imply nftables, iptables-* iptables). On /v1/diff it sets both sides.' },
            baseProxyMode: { type: 'string', enum: ['iptables', 'nftables'], description: '/v1/diff only: CLI --base-proxy-mode.' },
            headProxyMode: { type: 'string', enum: ['iptables', 'nftables'], description: '/v1/diff only: CLI --head-proxy-mode (with baseProxyMode iptables: the migration view).' },
          },
        },
        // The probe rules readProbe enforces, from the same module (probe-schema.ts).
        Probe: PROBE_SCHEMA,
        PlanRequest: {
          type: 'object',
          additionalProperties: false,
          properties: { manifests: ref('Manifests'), cluster: ref('Manifests'), options: ref('Options') },
        },
        DiffRequest: {
          type: 'object',
          additionalProperties: false,
          properties: {
            base: ref('Manifests'),
            head: ref('Manifests'),
            cluster: ref('Manifests'),
            options: ref('Options'),
            probes: PROBES_SCHEMA,
          },
        },
        TraceRequest: {
          type: 'object',
          additionalProperties: false,
          properties: {
            manifests: ref('Manifests'),
            cluster: ref('Manifests'),
            options: ref('Options'),
            probe: ref('Probe'),
            probes: PROBES_SCHEMA,
            rules: { type: 'string', description: 'An iptables-restore or iptables-save file to trace instead of the planned rules (CLI --rules); manifests are then optional.' },
            nodeIPs: { type: 'array', items: { type: 'string' }, description: "With rules: the node's own addresses (CLI --node-ip); default: the planned node's." },
          },
        },
        // The CLI's -o json documents; `$id` names where the npm package ships each file.
        PlanResult: planSchema,
        DiffResult: diffSchema,
        TraceResult: traceSchema,
        Health: { type: 'object', required: ['status'], properties: { status: { const: 'ok' }, version: { type: 'string' } } },
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details.',
          required: ['type', 'title', 'status', 'detail'],
          properties: {
            type: { type: 'string', format: 'uri' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            issues: {
              type: 'array',
              description: 'Input problems, each with code, severity, message and source {file, line, column}.',
              items: { type: 'object', required: ['code', 'severity', 'message'] },
            },
            errors: {
              type: 'array',
              description: 'Request-shape problems, each with a JSON pointer.',
              items: { type: 'object', required: ['pointer', 'detail'], properties: { pointer: { type: 'string' }, detail: { type: 'string' } } },
            },
          },
        },
      },
    },
  }
}
