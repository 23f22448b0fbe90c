import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'worker/test/**/*.test.ts'],
    // Tests that spawn bin/kube-whatif.js need the compiled CLI of the current sources.
    globalSetup: ['test/helpers/build-cli.global.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Kernel and browser suites use shared resources (namespaces, a port); keep files isolated.
    pool: 'forks',
  },
})
