/**
 * Child of the Worker case (bench/worker-pr.ts `nodeFiguresInChild`): measures the Node figures in
 * a process that has run nothing else, as a Worker isolate serves only requests, and prints them as
 * JSON on stdout. Usage: node --import tsx bench/worker-child.ts <runs>
 */
import { nodeFigures } from './worker-pr.ts'

const runs = Number(process.argv[2] ?? '100')
process.stdout.write(`${JSON.stringify(nodeFigures(Number.isInteger(runs) && runs > 0 ? runs : 100))}\n`)
