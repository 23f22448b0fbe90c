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

/**
 * True when the text can be written bare or in kube-proxy's plain quotes (no `"`, `\` or control
 * characters). A loop over the code units rather than a regex test: every comment of a payload
 * is checked (≈ 1 200 for a 50-Service plan), and they are short, where the regex call cost more
 * than the scan (≈ 8% of printing the payload in its profile).
 */
export function isPlainText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x22 /* " */ || c === 0x5c /* \ */ || c === 0x7f) return false
  }
  return true
}
