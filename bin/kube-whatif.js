#!/usr/bin/env node
// The CLI as published: compiled JavaScript (dist/cli/main.js, built by `npm run build`, which
// `npm ci`/`npm install` run through `prepare` and `npm pack` through `prepack`). Also installed
// as `kubectl-whatif`, so kubectl finds it as the plugin `kubectl whatif`.
import { main } from '../dist/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
