/**
 * @module proxy/iptables/comment-text
 * Comment texts reach the printers from object names. Names are validated (apiserver/validate),
 * but a printer must not depend on that: iptables-restore reads one rule per line, so a newline
 * in a comment would end the rule and start another (`-A KUBE-SERVICES ... -j DNAT`, `COMMIT`),
 * and a bare `"` would open a quote. Control characters cannot be escaped in that format
 * (xshared.c `add_param_to_argv` only knows `\` inside double quotes), so they are replaced.
 */

const CONTROL = /[\u0000-\u001f\u007f]/g

/** The text with every control character (newline, CR, tab, NUL, DEL) replaced by `?`. */
export function printableText(text: string): string {
  return text.replace(CONTROL, '?')
}

/** True when the text can be written bare or in kube-proxy's plain quotes (no `"`, `\` or control characters). */
export function isPlainText(text: string): boolean {
  return !/[\u0000-\u001f\u007f"\\]/.test(text)
}
