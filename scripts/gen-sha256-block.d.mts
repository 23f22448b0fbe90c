/** Types for scripts/gen-sha256-block.mjs (imported by test/core/net/sha256.test.ts). */
export declare function sha256BlockSource(): string
