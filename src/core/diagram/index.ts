/**
 * @module diagram
 * Packet-path diagrams derived from traces of the rendered ruleset: the model, how plans and
 * probes become diagrams, and the Mermaid, Graphviz DOT and SVG renderers.
 */
export type { Diagram, DiagramChange, DiagramEdge, DiagramLimits, DiagramNode, DiagramNodeKind, EdgeChange } from './types.ts'
export { DEFAULT_DIAGRAM_LIMITS } from './types.ts'
export { buildDiagram, type BuildInput, type EndpointInfo, type NodeSpec, type Route } from './build.ts'
export { planDiagrams, traceDiagrams, servicePortDiagram, diagramContext, diagramSources, servicePortName, type DiagramContext, type DiagramSet, type DiagramSources } from './plan-diagrams.ts'
export { compareDiagrams } from './compare.ts'
export { renderMermaid, mermaidText } from './mermaid.ts'
export { renderDot, dotString } from './dot.ts'
export { renderDiagramSvg, renderSvgDocument } from './svg.ts'
