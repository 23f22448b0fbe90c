#!/usr/bin/env node
// Prints the closing line CI reads ("N passed, N failed[, N skipped]") from Vitest's JSON report.
// Vitest's own summary is not a format the CI recognises, so we translate it here.
import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'test-output/vitest.json'
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch (err) {
  console.log(`ci-summary: cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`)
  console.log('0 passed, 1 failed')
  process.exit(1)
}
const passed = report.numPassedTests ?? 0
// A file that fails to load counts as a failure even though it ran no test.
const failedSuites = (report.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0).length
const failed = (report.numFailedTests ?? 0) + failedSuites
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
