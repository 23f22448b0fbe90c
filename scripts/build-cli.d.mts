/** Types for scripts/build-cli.mjs (imported by the test suite's global setup). */
export declare function buildCli(): Promise<void>
export declare function buildTypes(): void
