/** A programmer error: an impossible state. Never thrown for anything a user can type. */
export class InvariantError extends Error {
  override readonly name = 'InvariantError'
}

/** Closes a switch over a tagged union; reaching it is a bug. */
export function assertNever(x: never): never {
  throw new InvariantError(`unexpected value ${JSON.stringify(x)}`)
}
