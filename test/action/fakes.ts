/**
 * In-memory fakes for the Action's ports (knftables-style: a fake with `dump()`), so `run()` is
 * tested without GitHub, a runner or git.
 */
import { ForbiddenError, type ActionIO, type AnnotationPlace, type CommentStore, type ManifestFile, type ManifestSource, type StoredComment } from '../../src/action/ports.ts'
import { makeMatcher } from '../../src/action/glob.ts'
import { ALWAYS_EXCLUDE } from '../../src/action/inputs.ts'

/** Comments kept in memory; counts writes; can refuse writes like a read-only token. */
export class FakeCommentStore implements CommentStore {
  comments: StoredComment[] = []
  writes = 0
  private nextId = 100
  constructor(
    readonly me = 'github-actions[bot]',
    public readOnly = false,
  ) {}
  async list(): Promise<readonly StoredComment[]> {
    return [...this.comments]
  }
  async viewer(): Promise<string | undefined> {
    return this.me.replace(/\[bot\]$/, '')
  }
  async create(body: string): Promise<number> {
    if (this.readOnly) throw new ForbiddenError('Resource not accessible by integration')
    this.writes++
    const id = this.nextId++
    this.comments.push({ id, body, author: this.me })
    return id
  }
  async update(id: number, body: string): Promise<void> {
    if (this.readOnly) throw new ForbiddenError('Resource not accessible by integration')
    this.writes++
    this.comments = this.comments.map((c) => (c.id === id ? { ...c, body } : c))
  }
  /** Everyone's comments as `id author: first line`. */
  dump(): string[] {
    return this.comments.map((c) => `${c.id} ${c.author}: ${c.body.split('\n')[0]}`)
  }
}

/** Records everything the Action tells the runner. */
export class FakeActionIO implements ActionIO {
  outputs: Record<string, string> = {}
  summary = ''
  annotations: { level: string; message: string; place: AnnotationPlace }[] = []
  log: string[] = []
  notices: string[] = []
  failed?: string
  files: Record<string, string> = {}
  constructor(private readonly inputs: Record<string, string> = {}) {}
  getInput(name: string): string {
    return this.inputs[name] ?? ''
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value
  }
  async writeSummary(markdown: string): Promise<void> {
    this.summary += markdown
  }
  annotate(level: 'error' | 'warning' | 'notice', message: string, place: AnnotationPlace): void {
    this.annotations.push({ level, message, place })
  }
  info(message: string): void {
    this.log.push(message)
  }
  notice(message: string): void {
    this.notices.push(message)
  }
  warning(message: string): void {
    this.log.push(`warning: ${message}`)
  }
  setFailed(message: string): void {
    this.failed = message
  }
  async writeTempFile(name: string, content: string): Promise<string> {
    this.files[`/tmp/${name}`] = content
    return `/tmp/${name}`
  }
}

/** Base and head trees as path → text maps. */
export class MemoryManifestSource implements ManifestSource {
  constructor(
    public head: Record<string, string>,
    public base: Record<string, string>,
  ) {}
  private pick(tree: Record<string, string>, include: readonly string[], exclude: readonly string[]): { path: string; text: string }[] {
    const match = makeMatcher([...include, ...exclude.map((e) => `!${e}`)], ALWAYS_EXCLUDE)
    return Object.keys(tree)
      .filter(match)
      .sort()
      .map((path) => ({ path, text: tree[path] as string }))
  }
  async workingTree(include: readonly string[], exclude: readonly string[]): Promise<readonly ManifestFile[]> {
    return this.pick(this.head, include, exclude)
  }
  async atCommit(_ref: string, include: readonly string[], exclude: readonly string[]): Promise<readonly ManifestFile[]> {
    return this.pick(this.base, include, exclude)
  }
  async shortSha(ref: string): Promise<string> {
    return ref.slice(0, 7)
  }
  async hasCommit(_ref: string): Promise<boolean> {
    return true
  }
}
