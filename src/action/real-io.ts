/**
 * @module action/real-io
 * ActionIO over @actions/core: inputs from `INPUT_*`, outputs to `GITHUB_OUTPUT`, the job
 * summary to `GITHUB_STEP_SUMMARY`, annotations as workflow commands on stdout.
 */
import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ActionIO } from './ports.ts'

/** The runner-backed ActionIO. */
export function coreIO(env: NodeJS.ProcessEnv): ActionIO {
  return {
    getInput: (name) => core.getInput(name),
    setOutput: (name, value) => core.setOutput(name, value),
    async writeSummary(markdown) {
      // Without GITHUB_STEP_SUMMARY (local runs) there is nowhere to write; say so in the log.
      if (!env.GITHUB_STEP_SUMMARY) return core.info('GITHUB_STEP_SUMMARY is not set; job summary skipped')
      await core.summary.addRaw(markdown, true).write()
    },
    annotate(level, message, place) {
      const props: core.AnnotationProperties = {
        ...(place.title ? { title: place.title } : {}),
        ...(place.file ? { file: place.file } : {}),
        ...(place.startLine ? { startLine: place.startLine } : {}),
        ...(place.startColumn ? { startColumn: place.startColumn } : {}),
      }
      if (level === 'error') core.error(message, props)
      else if (level === 'warning') core.warning(message, props)
      else core.notice(message, props)
    },
    info: (m) => core.info(m),
    notice: (m) => core.notice(m),
    warning: (m) => core.warning(m),
    setFailed: (m) => core.setFailed(m),
    async writeTempFile(name, content) {
      const dir = join(env.RUNNER_TEMP || tmpdir(), 'kube-whatif')
      await mkdir(dir, { recursive: true })
      const path = join(dir, name)
      await writeFile(path, content)
      return path
    },
  }
}
