/**
 * Regenerates test/fixtures/case-facts/<case>.yaml from every conformance case's config.json:
 *   npx tsx scripts/case-facts.ts
 * test/cluster/case-facts.test.ts fails when a committed file is not what this writes.
 */
import { writeFileSync } from 'node:fs'
import { caseFactsYaml, committedFactsPath, listProxierCases, readCaseConfig } from '../test/helpers/case-facts.ts'

for (const name of listProxierCases()) {
  writeFileSync(committedFactsPath(name), caseFactsYaml(name, readCaseConfig(name)))
  console.log(`wrote ${committedFactsPath(name)}`)
}
