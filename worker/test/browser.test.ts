// The playground in Debian's Chromium (playwright-core, headless) against the Worker served by
// workerd on a real port: load an example, plan, see allocations and a KUBE-SVC chain, trace,
// share a link, and save screenshots under test-output/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorker } from './helpers/harness.ts'
import type { Harness } from './helpers/harness.ts'

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const OUT = resolve(import.meta.dirname, '../../test-output')

let skip: string | undefined
if (!existsSync(CHROMIUM)) {
  skip = `${CHROMIUM} not found (apt-get install chromium)`
  if (process.env['CI']) throw new Error(skip)
  console.warn(`SKIPPING browser test: ${skip}`)
}
const started = skip ? undefined : await startWorker({}, { listen: true })
if (started && 'skip' in started) skip = started.skip
const w = started as Harness
let base = ''
let browser: Browser
let page: Page
const foreign: string[] = []
/** CSP violations (securitypolicyviolation events) and console errors, from every page. */
const violations: string[] = []

/** Records CSP violations and console errors of `p` (the listener goes in before any page script). */
async function watch(p: Page): Promise<void> {
  await p.addInitScript(() => {
    const w = globalThis as unknown as {
      __csp?: string[]
      document: { addEventListener(t: string, f: (e: { violatedDirective: string; blockedURI: string }) => void): void }
    }
    w.document.addEventListener('securitypolicyviolation', (e) => {
      ;(w.__csp ??= []).push(`${e.violatedDirective} ${e.blockedURI}`)
    })
  })
  p.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`)
  })
  p.on('pageerror', (e) => violations.push(`pageerror: ${e.message}`))
}

async function cspViolations(p: Page): Promise<string[]> {
  return p.evaluate(() => (globalThis as unknown as { __csp?: string[] }).__csp ?? [])
}

beforeAll(async () => {
  if (skip) return
  base = (await w.mf.ready).href.replace(/\/$/, '')
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  page = await browser.newPage({ viewport: { width: 1280, height: 1400 } })
  await watch(page)
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url())
  })
  mkdirSync(OUT, { recursive: true })
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (started && 'mf' in started) await started.dispose()
})

describe.skipIf(skip !== undefined)('playground in Chromium', () => {
  it('loads an example, plans, shows allocations and KUBE-SVC rules', async () => {
    await page.goto(`${base}/`)
    // Every form control has an accessible name.
    const unlabeled = await page.$$eval('textarea, input:not([type=hidden]), select', (els) =>
      els.filter((e) => !(e as unknown as { labels?: { length: number } }).labels?.length && !e.getAttribute('aria-label')).map((e) => e.id),
    )
    expect(unlabeled).toEqual([])

    await page.getByLabel('Load an example').selectOption('clusterip-nodeport')
    expect(await page.getByLabel(/^Manifests/).inputValue()).toContain('meu-service')
    await page.getByRole('button', { name: 'Run' }).click()
    const rows = page.locator('#allocations tbody tr')
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2)
    const table = await page.locator('#allocations').innerText()
    expect(table).toContain('meu-namespace/meu-service')
    expect(table).toContain('10.96.0.10 (requested)')
    expect(table).toMatch(/nodePort 3\d{4}, preview/)
    expect(await page.locator('#ports').innerText()).toMatch(/10\.244\.1\.10:27017 \(local\) 100%/)
    const rules = await page.locator('#rules').innerText()
    expect(rules).toMatch(/KUBE-SVC-[A-Z2-7]{16}/)
    expect(await page.locator('#status').innerText()).toMatch(/Planned 2 Service/)
    // The rules block scrolls instead of growing the page.
    const overflow = await page.locator('#rules').evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { overflow: string } }).getComputedStyle(e).overflow)
    expect(overflow).toBe('auto')
    await page.screenshot({ path: resolve(OUT, 'playground-plan.png'), fullPage: true })
  })

  it('runs a trace', async () => {
    await page.getByLabel('Load an example').selectOption('lb-local')
    expect(await page.getByRole('radio', { name: 'Trace' }).isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => page.locator('#trace tbody tr').count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(1)
    const trace = await page.locator('#trace-section').innerText()
    expect(trace).toMatch(/kube-proxy tracer output/)
    expect(trace).toMatch(/100%|DNAT|DROP|REJECT/)
    expect(await page.locator('#status').getAttribute('class')).not.toBe('error')
    await page.screenshot({ path: resolve(OUT, 'playground-trace.png'), fullPage: true })
  })

  it('shares the input in the URL fragment and restores it', async () => {
    await page.getByLabel('Load an example').selectOption('expose-web')
    await page.getByRole('button', { name: 'Copy share link' }).click()
    // The link is built asynchronously (CompressionStream).
    await expect.poll(() => page.getByLabel('Share link').inputValue(), { timeout: 10_000 }).toMatch(/#z=[A-Za-z0-9_-]+$/)
    const link = await page.getByLabel('Share link').inputValue()
    expect(link.startsWith(`${base}/#`)).toBe(true)
    const other = await browser.newPage()
    await watch(other)
    await other.goto(link)
    await expect.poll(() => other.getByLabel(/^Head manifests/).inputValue(), { timeout: 10_000 }).toContain('type: NodePort')
    expect(await other.getByRole('radio', { name: 'Diff' }).isChecked()).toBe(true)
    await expect.poll(() => other.locator('#diff').innerText(), { timeout: 15_000 }).toContain('web')
    await other.screenshot({ path: resolve(OUT, 'playground-diff.png'), fullPage: true })
    expect(await cspViolations(other)).toEqual([])
    await other.close()
  })

  it('switches kube-proxy to nftables mode and shows the nft transaction', async () => {
    await page.getByLabel('Load an example').selectOption('clusterip-nodeport')
    await page.getByText('Options').click()
    await page.getByLabel('kube-proxy mode').selectOption('nftables')
    await page.getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => page.locator('#rules').innerText(), { timeout: 15_000 }).toMatch(/^add table ip kube-proxy/)
    const rules = await page.locator('#rules').innerText()
    expect(rules).toMatch(/add element ip kube-proxy service-ips \{ 10\.96\.0\.10 \. tcp \. 27017 : goto service-[A-Z2-7]{8}-meu-namespace\/meu-service\/tcp\//)
    expect(await page.locator('#rules-h').innerText()).toBe('Rules (nftables: nft -f)')
    await page.getByLabel('kube-proxy mode').selectOption('')
    await page.getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => page.locator('#rules').innerText(), { timeout: 15_000 }).toMatch(/KUBE-SVC-[A-Z2-7]{16}/)
  })

  it('draws the packet paths of examples/multi-node: one box per endpoint, rules on hover', async () => {
    const dir = resolve(import.meta.dirname, '../../examples/multi-node')
    const manifests = ['api-loadbalancer.yaml', 'ingress-nodeport.yaml'].map((f) => readFileSync(resolve(dir, f), 'utf8')).join('\n---\n')
    const cluster = readFileSync(resolve(dir, 'cluster.yaml'), 'utf8')
    await page.goto(`${base}/`)
    await page.getByRole('radio', { name: 'Plan' }).check()
    await page.getByLabel(/^Manifests/).fill(manifests)
    await page.getByLabel(/^Cluster facts/).fill(cluster)
    await page.getByRole('button', { name: 'Run' }).click()
    const figures = page.locator('#diagrams figure svg')
    await expect.poll(() => figures.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(1)

    // What the API says the endpoints are, per service port.
    const plan = (await (await fetch(`${base}/v1/plan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ manifests, cluster }) })).json()) as {
      servicePorts: { spn: string; endpoints: { endpoint: string }[] }[]
    }
    expect(await figures.count()).toBe(plan.servicePorts.length)
    for (let i = 0; i < plan.servicePorts.length; i++) {
      const sp = plan.servicePorts[i]!
      const svg = figures.nth(i)
      expect(await svg.locator('title').first().textContent()).toContain(sp.spn)
      const drawn = await svg.locator('[data-kind=endpoint]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')))
      expect(drawn.sort()).toEqual(sp.endpoints.map((e) => `ep:${e.endpoint}`).sort())
    }
    // LB traffic from outside loadBalancerSourceRanges ends in a DROP box; chains show their rules on hover.
    const api = figures.nth(plan.servicePorts.findIndex((sp) => sp.spn === 'shop/api:http'))
    expect(await api.locator('[data-kind=verdict] > text').allTextContents()).toContain('DROP')
    const svc = api.locator('[data-kind=chain]', { hasText: /^KUBE-SVC-/ }).first()
    expect(await svc.locator('title').textContent()).toMatch(/-A KUBE-SVC-[A-Z2-7]{16} .*--probability/)
    await page.locator('#diagram-section').screenshot({ path: resolve(OUT, 'playground-diagram-multi-node.png') })
    // The range bars: one meter per range.
    expect(await page.locator('#ranges meter').count()).toBe(2)
    expect(await cspViolations(page)).toEqual([])
  })

  it('draws the path of a traced packet', async () => {
    await page.getByLabel('Load an example').selectOption('lb-local')
    await page.getByRole('button', { name: 'Run' }).click()
    await expect.poll(() => page.locator('#diagrams figure svg').count(), { timeout: 15_000 }).toBe(1)
    const kinds = await page.locator('#diagrams [data-kind]').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))
    expect(kinds.slice(0, 2)).toEqual(['client', 'entry'])
    expect(kinds.some((k) => k === 'endpoint' || k === 'verdict')).toBe(true)
    expect(await cspViolations(page)).toEqual([])
  })

  it('ran without a CSP violation or a script error', () => {
    expect(violations).toEqual([])
  })

  it('made no request to any other origin', () => {
    expect(foreign).toEqual([])
  })
})
