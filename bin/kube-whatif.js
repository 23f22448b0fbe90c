#!/usr/bin/env node
// Node 20 cannot run TypeScript itself: register tsx's ESM loader, then run the CLI sources.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
