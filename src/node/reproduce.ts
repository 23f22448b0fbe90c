/**
 * @module node/reproduce
 * The command line that reproduces a diff report, printed in every report's footer. The Action
 * tells users to run it locally (`npx kube-whatif diff --base-ref …`), so it must name exactly
 * what the shared reader read: the same directories, the same cluster-facts files, the same
 * commit; the CLI echoes its own arguments.
 */

/** A word safe to paste into a POSIX shell (single-quoted unless plainly safe). */
export function shellWord(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

/**
 * The fewest directories that hold every planned file (base or head side): `--head k8s` rather
 * than `--head .`, which would also read unrelated YAML/JSON files (package.json, CI configs)
 * that the Action's `paths` globs left out. Directories, not files, because a file deleted by
 * the pull request exists only at the base commit and `--head` must exist in the tree.
 */
export function headDirs(paths: readonly string[]): string[] {
  const dirs = [...new Set(paths.map((p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '.')))].sort()
  if (dirs.includes('.')) return ['.']
  return dirs.filter((d) => !dirs.some((a) => a !== d && d.startsWith(`${a}/`)))
}

/** What a reproduce command names. */
export interface DiffReproduction {
  /** How the tool is invoked (`kube-whatif`, `npx kube-whatif`). */
  readonly program: string
  /** Arguments after `diff`, as the user would type them. */
  readonly args: readonly string[]
}

/** One shell line: `program diff args…`, every argument quoted when it needs to be. */
export function reproduceCommand(r: DiffReproduction): string {
  return [r.program, 'diff', ...r.args.map(shellWord)].join(' ')
}

/**
 * The Action's reproduction: base commit, the head directories, the cluster files, the
 * Kubernetes version and the proxy mode when the workflow set them, markdown.
 */
export function actionReproduction(baseRef: string, plannedPaths: readonly string[], clusterPaths: readonly string[], kubernetesVersion?: string, proxyMode = ''): DiffReproduction {
  const heads = headDirs(plannedPaths)
  return {
    program: 'npx kube-whatif',
    args: [
      '--base-ref',
      baseRef,
      ...(heads.length > 0 ? heads : ['.']).flatMap((d) => ['--head', d]),
      ...clusterPaths.flatMap((c) => ['--cluster', c]),
      ...(kubernetesVersion !== undefined ? ['--kubernetes-version', kubernetesVersion] : []),
      ...(proxyMode !== '' ? ['--proxy-mode', proxyMode] : []),
      '-o',
      'markdown',
    ],
  }
}

/** The CLI's reproduction: its own arguments without the output format (the reader picks one). */
export function cliReproduction(argv: readonly string[]): DiffReproduction {
  const isFormat = (a: string | undefined): boolean => a === '-o' || a === '--output'
  return { program: 'kube-whatif', args: argv.filter((a, i) => !isFormat(a) && !isFormat(argv[i - 1])) }
}
