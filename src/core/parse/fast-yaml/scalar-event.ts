/**
 * @module parse/fast-yaml/scalar-event
 * The one place the fast reader hands a scalar to js-yaml's own `getScalarValue` (multi-line
 * quoted and plain scalars, escapes, block scalars), so their decoding stays js-yaml's and is not
 * re-implemented here.
 */
import type { ScalarEvent } from 'js-yaml'

/** A scalar event for js-yaml's `getScalarValue` (only the fields it reads matter). */
export function scalarEvent(style: ScalarEvent['style'], valueStart: number, valueEnd: number, chomping: number, indent: number): ScalarEvent {
  return {
    type: 4,
    valueStart,
    valueEnd,
    anchorStart: -1,
    anchorEnd: -1,
    tagStart: -1,
    tagEnd: -1,
    style,
    chomping,
    indent,
    fast: false,
  } as unknown as ScalarEvent
}
