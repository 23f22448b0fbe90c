// Renders the Mermaid of every example and fixture with the `mermaid` package itself, inside
// Debian's Chromium (mermaid needs a DOM): its bundled dist/mermaid.min.js is loaded into a blank
// page from node_modules, never from a network. Each drawing must render and name every endpoint
// and every DROP/REJECT end of the diagram, and every endpoint kube-proxy forwards pod traffic to.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planDiagrams } from '../../src/core/diagram/plan-diagrams.ts'
import { renderMermaid } from '../../src/core/diagram/mermaid.ts'
import { planFromSources } from '../../src/core/plan/plan.ts'
import { committedCommentDiagrams, diagramInputs } from './inputs.ts'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const MERMAID = join(dirname(createRequire(import.meta.url).resolve('mermaid/package.json')), 'dist', 'mermaid.min.js')

let skip: string | undefined
if (!existsSync(CHROMIUM)) {
  skip = `${CHROMIUM} not found (apt-get install chromium)`
  if (process.env['CI']) throw new Error(skip)
  console.warn(`SKIPPING mermaid render test: ${skip}`)
}

let browser: Browser
let page: Page

beforeAll(async () => {
  if (skip) return
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  page = await browser.newPage()
  await page.setContent('<!doctype html><html><body></body></html>')
  await page.addScriptTag({ path: MERMAID })
  await page.evaluate(() => {
    const m = (globalThis as unknown as { mermaid: { initialize(c: object): void } }).mermaid
    m.initialize({ startOnLoad: false, securityLevel: 'strict' })
  })
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

let seq = 0
/** Renders Mermaid text; returns the SVG and its text content (labels), or throws mermaid's parse error. */
async function render(text: string): Promise<{ svg: string; labels: string }> {
  const id = `m${seq++}`
  return page.evaluate(
    async ([id, text]) => {
      interface El { innerHTML: string; textContent: string | null; remove(): void }
      const g = globalThis as unknown as {
        mermaid: { render(id: string, t: string): Promise<{ svg: string }> }
        document: { createElement(t: string): El; body: { appendChild(e: El): void } }
      }
      const { svg } = await g.mermaid.render(id, text)
      const holder = g.document.createElement('div')
      holder.innerHTML = svg
      g.document.body.appendChild(holder)
      const labels = holder.textContent ?? ''
      holder.remove()
      return { svg, labels }
    },
    [id, text] as const,
  )
}

const inputs = diagramInputs()

describe.skipIf(skip !== undefined)('mermaid renders every diagram', () => {
  it('finds examples, scenarios and conformance cases', () => {
    expect(inputs.filter((i) => i.name.startsWith('examples/')).length).toBeGreaterThanOrEqual(3)
    expect(inputs.filter((i) => i.name.startsWith('conformance/')).length).toBeGreaterThanOrEqual(10)
    expect(inputs.filter((i) => i.name.startsWith('scenarios/')).length).toBeGreaterThanOrEqual(8)
  })

  it.each(inputs.map((i) => [i.name, i] as const))('%s', async (_name, input) => {
    const plan = planFromSources({ files: input.files, options: input.ipFamily ? { ipFamily: input.ipFamily } : {} }).value
    const set = planDiagrams(plan)
    const text = renderMermaid(set.diagrams, set.notes)
    const { svg, labels } = await render(text)
    expect(svg).toMatch(/^<svg/)
    const flat = labels.replace(/\s+/g, ' ')
    for (const d of set.diagrams) {
      for (const n of d.nodes) {
        if (n.kind === 'endpoint') expect(flat, `${d.title}: endpoint ${n.label}`).toContain(n.label)
        if (n.verdict === 'DROP' || n.verdict === 'REJECT') {
          expect(flat).toContain(n.verdict)
          expect(svg, `${d.title}: ${n.verdict} box`).toContain(`-${n.id}-`)
        }
      }
    }
    // Cross-check against the plan's own summary of each service port: endpoints that pod traffic
    // to the cluster IP reaches are drawn, and a REJECT/DROP summary has its box.
    for (const [i, sp] of plan.servicePorts.entries()) {
      const d = set.diagrams[i]
      if (d === undefined || sp.clusterIP === '' || sp.clusterIP === 'None' || sp.port < 1) continue
      const reached = sp.endpoints.filter((e) => e.internalProbability > 0).slice(0, 16)
      for (const e of reached) expect(d.nodes.map((n) => n.key), `${sp.spn}: ${e.endpoint}`).toContain(`ep:${e.endpoint}`)
      if (sp.internal.verdict === 'reject') expect(d.nodes.some((n) => n.verdict === 'REJECT'), sp.spn).toBe(true)
      if (sp.internal.verdict === 'drop') expect(d.nodes.some((n) => n.verdict === 'DROP'), sp.spn).toBe(true)
    }
  })

  it.each(committedCommentDiagrams().map((c) => [c.name, c.text] as const))('%s (committed PR comment)', async (_name, text) => {
    const { svg } = await render(text)
    expect(svg).toMatch(/^<svg/)
  })

  it('rejects broken Mermaid (the check can fail)', async () => {
    await expect(render('flowchart LR\n  a["unterminated --> b')).rejects.toThrow()
  })
})
