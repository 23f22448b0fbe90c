/**
 * @module worker/page
 * The playground: one HTML page plus its script and stylesheet, served as separate same-origin
 * resources (`/playground.js`, `/playground.css`) so the page's CSP needs no `'unsafe-inline'`
 * (no CDN, no build step in the browser); it calls the API on its own origin. The client script
 * is plain ES2020 kept free of template literals so it can live inside this TypeScript template
 * string unescaped. Packet-path diagrams arrive as SVG drawn by the core (`?format=svg`) and are
 * parsed with DOMParser, never run.
 */
import { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS } from '#core'
import { EXAMPLES } from './examples.ts'

/** JSON for an inline <script>: `<` escaped so no input can close the element. */
function inlineJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/** The page's stylesheet, served at `/playground.css`. */
export const PLAYGROUND_CSS = `
:root { color-scheme: light dark; --fg: #1b1f24; --bg: #fff; --muted: #57606a; --line: #d0d7de; --accent: #0969da;
  --err: #cf222e; --warn: #9a6700; --ok: #1a7f37; --code: #f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --line: #30363d;
  --accent: #4493f8; --err: #f85149; --warn: #d29922; --ok: #3fb950; --code: #161b22; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
header h1 { margin: 16px 0 4px; font-size: 1.5rem; }
header p { margin: 0 0 12px; color: var(--muted); }
form { display: grid; gap: 10px; }
fieldset { border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
legend { padding: 0 4px; font-weight: 600; }
label { font-weight: 600; display: block; margin-bottom: 2px; }
fieldset label { display: inline; font-weight: normal; margin-right: 14px; }
textarea, input, select, button { font: inherit; color: inherit; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
textarea { width: 100%; min-height: 11em; padding: 6px; font: 13px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; resize: vertical; }
input, select { padding: 4px 6px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
@media (max-width: 760px) { .grid2 { grid-template-columns: 1fr; } }
.inline { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; }
.inline > div { min-width: 10em; }
button { padding: 6px 14px; cursor: pointer; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; }
button:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible, pre:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
#share-url { flex: 1; min-width: 12em; }
[hidden] { display: none !important; }
section.out { margin-top: 18px; }
h3 { font-size: 1rem; margin: 12px 0 4px; }
caption { text-align: left; padding: 2px 0; }
h2 { font-size: 1.15rem; margin: 0 0 6px; border-bottom: 1px solid var(--line); padding-bottom: 2px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; border-bottom: 1px solid var(--line); padding: 4px 8px; vertical-align: top; }
td code, li code { font-size: 13px; }
pre.block { background: var(--code); border: 1px solid var(--line); border-radius: 6px; padding: 8px; max-height: 28em; overflow: auto; font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre; }
ul.findings { list-style: none; padding: 0; margin: 0; }
ul.findings li { padding: 3px 0; border-bottom: 1px solid var(--line); }
.sev { display: inline-block; min-width: 5.5em; font-weight: 600; }
.sev-error { color: var(--err); } .sev-warning { color: var(--warn); } .sev-info, .sev-notice { color: var(--muted); }
#status { min-height: 1.4em; margin: 10px 0 0; }
#status.error { color: var(--err); font-weight: 600; }
.muted { color: var(--muted); }
figure.diagram { margin: 8px 0 14px; overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; padding: 6px; background: #fff; }
svg.diagram { max-width: 100%; height: auto; }
svg.diagram .node:hover rect, svg.diagram .node:focus rect { stroke-width: 2.5; }
.ranges { display: grid; grid-template-columns: max-content 1fr max-content; gap: 4px 10px; align-items: center; margin: 6px 0; }
.ranges meter { width: 100%; height: 1.1em; }
`

/** The page's script, served at `/playground.js`. */
export const PLAYGROUND_JS = `
(function () {
  'use strict';
  var EXAMPLES = JSON.parse(document.getElementById('examples-data').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var FIELDS = ['manifests', 'cluster', 'base', 'head', 'from', 'to', 'protocol', 'node', 'ipFamily', 'kubernetesVersion', 'proxyMode'];

  function mode() { var r = document.querySelector('input[name=mode]:checked'); return r ? r.value : 'plan'; }
  function setMode(m) {
    var r = document.querySelector('input[name=mode][value=' + m + ']'); if (r) r.checked = true;
    document.querySelectorAll('[data-modes]').forEach(function (el) {
      el.hidden = el.getAttribute('data-modes').split(' ').indexOf(m) < 0;
    });
  }
  function readState() {
    var s = { mode: mode() };
    FIELDS.forEach(function (f) { var v = $(f).value; if (v !== '') s[f] = v; });
    return s;
  }
  function writeState(s) {
    FIELDS.forEach(function (f) { $(f).value = typeof s[f] === 'string' ? s[f] : (f === 'protocol' ? 'tcp' : ''); });
    setMode(s.mode === 'diff' || s.mode === 'trace' ? s.mode : 'plan');
  }
  function loadExample(id) {
    var ex = EXAMPLES.filter(function (e) { return e.id === id; })[0]; if (!ex) return;
    var s = { mode: ex.mode, manifests: ex.manifests, cluster: ex.cluster, base: ex.base || '', head: ex.head || '' };
    if (ex.probe) { s.from = ex.probe.from; s.to = ex.probe.to; s.protocol = ex.probe.protocol; }
    writeState(s);
    status('Loaded example: ' + ex.title + '. Press Run.');
  }

  // ---- share links: the whole input in the URL fragment (never sent to the server) ----
  function b64url(bytes) {
    var bin = ''; for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  }
  function unb64url(s) {
    var bin = atob(s.replace(/-/g, '+').replace(/_/g, '/')); var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i); return out;
  }
  function pipe(bytes, stream) { return new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer().then(function (b) { return new Uint8Array(b); }); }
  function encodeState(s) {
    var bytes = new TextEncoder().encode(JSON.stringify(s));
    if (typeof CompressionStream === 'function') return pipe(bytes, new CompressionStream('deflate-raw')).then(function (z) { return 'z=' + b64url(z); });
    return Promise.resolve('j=' + b64url(bytes));
  }
  function decodeState(hash) {
    var m = /^#?([zj])=([A-Za-z0-9_-]*)$/.exec(hash); if (!m) return Promise.resolve(null);
    var bytes = unb64url(m[2]);
    var p = m[1] === 'z' ? pipe(bytes, new DecompressionStream('deflate-raw')) : Promise.resolve(bytes);
    return p.then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
  }

  // ---- API calls ----
  function objOrText(text) { return text; }
  function requestFor(s) {
    var options = {}; if (s.node) options.node = s.node; if (s.ipFamily) options.ipFamily = s.ipFamily;
    if (s.kubernetesVersion) options.kubernetesVersion = s.kubernetesVersion;
    if (s.proxyMode) options.proxyMode = s.proxyMode;
    var body = { cluster: objOrText(s.cluster || ''), options: options };
    if (s.mode === 'diff') { body.base = s.base || ''; body.head = s.head || ''; }
    else body.manifests = s.manifests || '';
    if (s.mode === 'trace') body.probe = { from: (s.from || '').trim(), to: (s.to || '').trim(), protocol: s.protocol || 'tcp' };
    return body;
  }
  function call(route, body, format) {
    var headers = { 'content-type': 'application/json' };
    var token = $('token').value.trim(); if (token) headers.authorization = 'Bearer ' + token;
    return fetch('/v1/' + route + '?format=' + encodeURIComponent(format), { method: 'POST', headers: headers, body: JSON.stringify(body) })
      .then(function (res) {
        return res.text().then(function (text) {
          var ct = res.headers.get('content-type') || '';
          if (!res.ok) {
            var p = null; try { p = JSON.parse(text); } catch (e) { /* not JSON */ }
            var err = new Error(p && p.detail ? p.title + ' (' + res.status + '): ' + p.detail : 'HTTP ' + res.status);
            err.problem = p; throw err;
          }
          return ct.indexOf('json') >= 0 ? JSON.parse(text) : text;
        });
      });
  }

  // ---- rendering helpers ----
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { if (k === 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { if (c != null) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function list(v) { return Array.isArray(v) ? v : (v == null || v === '' ? [] : [v]); }
  function status(msg, isError) { var s = $('status'); s.textContent = msg; s.className = isError ? 'error' : ''; }
  function show(id, on) { $(id).hidden = !on; }
  function where(src) { return src && src.file ? src.file + ':' + src.line + ': ' : ''; }
  function refName(x) {
    if (!x) return '';
    if (x.namespace !== undefined && x.name !== undefined) return (x.namespace ? x.namespace + '/' : '') + x.name;
    if (x.ref) return refName(x.ref);
    return x.name || '';
  }

  function renderFindings(issues, extra) {
    var ul = $('findings'); ul.textContent = '';
    var all = list(issues).concat(list(extra));
    all.forEach(function (i) {
      var sev = i.severity || 'info';
      ul.appendChild(el('li', null, [
        el('span', { class: 'sev sev-' + sev, text: sev }), ' ',
        el('span', { class: 'muted', text: where(i.source) }),
        i.message || i.title || JSON.stringify(i), ' ', i.code ? el('code', { class: 'muted', text: '[' + i.code + ']' }) : null
      ]));
    });
    if (all.length === 0) ul.appendChild(el('li', { class: 'muted', text: 'No findings.' }));
    show('findings-section', true);
  }

  function portText(p) {
    var s = (p.name ? p.name + ' ' : '') + p.port + '/' + (p.protocol || 'TCP');
    if (p.targetPort !== undefined && p.targetPort !== null && p.targetPort !== '') s += ' \u2192 ' + p.targetPort;
    if (p.nodePort) s += ' (nodePort ' + p.nodePort + (p.nodePortOrigin ? ', ' + p.nodePortOrigin : '') + ')';
    return s;
  }
  function renderAllocations(plan) {
    var tbody = $('allocations').querySelector('tbody'); tbody.textContent = '';
    var services = list(plan && plan.services);
    services.forEach(function (svc) {
      var ips = list(svc.clusterIPs).join(', ');
      if (ips && svc.clusterIPOrigin) ips += ' (' + svc.clusterIPOrigin + ')';
      var ext = list(svc.externalIPs).concat(list(svc.loadBalancerIngress)).join(', ');
      if (svc.healthCheckNodePort) ext += (ext ? '; ' : '') + 'healthCheckNodePort ' + svc.healthCheckNodePort;
      tbody.appendChild(el('tr', null, [
        el('td', null, [el('code', { text: refName(svc) }), svc.source ? el('div', { class: 'muted', text: svc.source.file + ':' + svc.source.line }) : null]),
        el('td', { text: (svc.type || 'ClusterIP') + (svc.notProxied ? ' (' + svc.notProxied + ')' : '') }),
        el('td', null, [el('code', { text: ips || 'None' })]),
        el('td', { text: list(svc.ports).map(portText).join('; ') }),
        el('td', { text: ext }),
        el('td', { text: (svc.origin || '') + (svc.update ? ' (update)' : '') })
      ]));
    });
    if (services.length === 0) tbody.appendChild(el('tr', null, [el('td', { colspan: '6', class: 'muted', text: 'No Services.' })]));
    var ports = $('ports').querySelector('tbody'); ports.textContent = '';
    list(plan && plan.servicePorts).forEach(function (sp) {
      var eps = list(sp.endpoints).map(function (e) { return e.endpoint + (e.local ? ' (local)' : '') + ' ' + pct(e.internalProbability); }).join(', ');
      ports.appendChild(el('tr', null, [
        el('td', null, [el('code', { text: sp.spn + '/' + sp.protocol })]),
        el('td', null, [el('code', { text: sp.clusterIP + ':' + sp.port })]),
        el('td', { text: eps || 'none' }),
        el('td', { text: (sp.internal && sp.internal.summary) || '' }),
        el('td', { text: (sp.external && sp.external.summary) || '' })
      ]));
    });
    var hdr = $('alloc-h'); hdr.textContent = 'Allocations' + (plan && plan.node ? ' \u2014 node ' + plan.node + ', ' + plan.ipFamily : '');
    show('alloc-section', true);
  }
  function pct(p) { return typeof p === 'number' ? (Math.round(p * 10000) / 100) + '%' : ''; }
  function renderRanges(plan) {
    var box = $('ranges'); box.textContent = '';
    list(plan && plan.ranges).forEach(function (r) {
      var name = r.kind === 'node-ports' ? 'NodePort range' : 'ClusterIP range';
      var m = el('meter', { min: '0', max: String(r.size), value: String(r.used), high: String(Math.floor(r.size * 0.8)), optimum: '0', 'aria-label': name + ' ' + r.range + ' usage' });
      box.appendChild(el('span', null, [name + ' ', el('code', { text: r.range })]));
      box.appendChild(m);
      box.appendChild(el('span', { class: 'muted', text: r.used + ' used of ' + r.size + ' (' + pct(r.size ? r.used / r.size : 0) + ')' }));
    });
  }
  // SVG drawn by the server's own renderer, parsed as XML (scripts in it would never run: the
  // CSP allows only /playground.js) and shown one figure per service port or probe.
  function renderDiagrams(svgText, caption) {
    var box = $('diagrams'); box.textContent = '';
    var doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
    var root = doc.documentElement;
    if (!root || root.nodeName !== 'svg') { box.appendChild(el('p', { class: 'muted', text: 'No diagram.' })); show('diagram-section', true); return; }
    $('diagram-note').textContent = caption || '';
    var desc = root.querySelector(':scope > desc');
    if (desc) {
      box.appendChild(el('details', null, [el('summary', { text: 'How these packets were chosen, and other assumptions' }),
        el('ul', null, desc.textContent.split('\\n').map(function (n) { return el('li', { class: 'muted', text: n }); }))]));
    }
    Array.prototype.forEach.call(root.children, function (child) {
      if (child.nodeName !== 'svg') return;
      var svg = document.importNode(child, true); svg.removeAttribute('x'); svg.removeAttribute('y');
      box.appendChild(el('figure', { class: 'diagram' }, [svg]));
    });
    show('diagram-section', true);
  }
  function renderTrace(result) {
    var traces = Array.isArray(result) ? result : (result && Array.isArray(result.traces) ? result.traces : [result]);
    var tbody = $('trace').querySelector('tbody'); tbody.textContent = '';
    traces.forEach(function (t) {
      var outcomes = list(t && t.outcomes);
      if (outcomes.length === 0) tbody.appendChild(el('tr', null, [el('td', { colspan: '4', text: (t && t.output) || 'no rule matched' })]));
      outcomes.forEach(function (o) {
        var verdict = (o.verdict || '') + (o.dnat ? ' \u2192 ' + o.dnat : '') + (o.hairpin ? ' (hairpin)' : '');
        var path = list(o.path).map(function (r) { return typeof r === 'string' ? r : (r.chain || '') + (r.line ? ' (line ' + r.line + ')' : ''); }).join(' \u2192 ');
        tbody.appendChild(el('tr', null, [
          el('td', { text: o.fraction ? o.fraction + ' (' + pct(o.probability) + ')' : pct(o.probability) }),
          el('td', null, [el('code', { text: verdict })]),
          el('td', { text: o.masquerade ? 'yes' : 'no' }),
          el('td', null, [el('code', { text: path })])
        ]));
      });
      if (t && t.output !== undefined) $('trace-output').textContent = 'kube-proxy tracer output: "' + t.output + '", masquerade: ' + !!t.masquerade;
      var notes = list(t && t.notes).concat(t && t.affinity ? [t.affinity.note] : []);
      notes.forEach(function (n) { $('trace-notes').appendChild(el('li', { text: n })); });
    });
    show('trace-section', true);
  }

  function clear() {
    ['alloc-section', 'findings-section', 'rules-section', 'trace-section', 'diff-section', 'raw-section', 'diagram-section'].forEach(function (id) { show(id, false); });
    $('trace-output').textContent = ''; $('trace-notes').textContent = '';
  }
  // The plan JSON carries the rules of the mode it was planned in (iptablesRestore or nftables).
  function rules(plan) {
    var nft = plan && typeof plan.nftables === 'string';
    $('rules-h').textContent = nft ? 'Rules (nftables: nft -f)' : 'Rules (iptables-restore)';
    $('rules').setAttribute('aria-label', nft ? 'nftables rules' : 'iptables-restore rules');
    $('rules').textContent = nft ? plan.nftables : (plan && plan.iptablesRestore) || '';
    show('rules-section', true);
  }
  function raw(v) { $('raw').textContent = typeof v === 'string' ? v : JSON.stringify(v, null, 2); show('raw-section', true); }

  function run() {
    var s = readState(); var body = requestFor(s);
    clear(); status('Running ' + s.mode + '\\u2026'); $('results').setAttribute('aria-busy', 'true');
    var work;
    if (s.mode === 'plan') {
      work = Promise.all([call('plan', body, 'json'), call('plan', body, 'svg')]).then(function (r) {
        renderAllocations(r[0]); renderRanges(r[0]); renderFindings(r[0].issues); rules(r[0]); raw(r[0]);
        renderDiagrams(r[1], 'Every way into each service port, traced through the rules below. Hover a box for the rules it matched.');
        return 'Planned ' + list(r[0].services).length + ' Service(s).';
      });
    } else if (s.mode === 'trace') {
      work = Promise.all([call('trace', body, 'json'), call('plan', { manifests: body.manifests, cluster: body.cluster, options: body.options }, 'json'), call('trace', body, 'svg')]).then(function (r) {
        renderTrace(r[0]); renderAllocations(r[1]); renderRanges(r[1]); renderFindings(r[1].issues, r[0] && r[0].issues); rules(r[1]); raw(r[0]);
        renderDiagrams(r[2], 'The path this packet took. Hover a box for the rules it matched.');
        return 'Traced ' + body.probe.from + ' \\u2192 ' + body.probe.to + '.';
      });
    } else {
      work = Promise.all([call('diff', body, 'json'), call('diff', body, 'text')]).then(function (r) {
        var d = r[0] || {};
        $('diff').textContent = r[1]; show('diff-section', true);
        renderFindings(d.findings || d.issues); raw(d);
        var sum = d.summary || {};
        return 'Diff: ' + (sum.added || 0) + ' to add, ' + (sum.changed || 0) + ' to change, ' + (sum.destroyed || 0) + ' to destroy' + (sum.refused ? ', ' + sum.refused + ' refused' : '') + '.';
      });
    }
    return work.then(function (msg) { status(msg); }, function (err) {
      status(err.message, true);
      if (err.problem) { renderFindings(err.problem.issues || err.problem.errors && err.problem.errors.map(function (e) { return { severity: 'error', message: e.pointer + ': ' + e.detail }; })); raw(err.problem); }
    }).then(function () { $('results').setAttribute('aria-busy', 'false'); });
  }

  function share() {
    return encodeState(readState()).then(function (frag) {
      var url = location.origin + location.pathname + '#' + frag;
      history.replaceState(null, '', '#' + frag);
      $('share-url').value = url; $('share-url').hidden = false;
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).catch(function () {});
      status('Share link ready (' + url.length + ' characters); the input travels in the fragment and is never sent to a server.');
    });
  }

  EXAMPLES.forEach(function (e) { $('example').appendChild(el('option', { value: e.id, text: e.title })); });
  $('example').addEventListener('change', function () { loadExample(this.value); });
  document.querySelectorAll('input[name=mode]').forEach(function (r) { r.addEventListener('change', function () { setMode(mode()); }); });
  $('form').addEventListener('submit', function (ev) { ev.preventDefault(); run(); });
  $('share').addEventListener('click', function () { share().catch(function (e) { status('Could not build a share link: ' + e.message, true); }); });
  setMode('plan'); clear();
  if (location.hash.length > 1) {
    decodeState(location.hash).then(function (s) { if (s) { writeState(s); return run(); } })
      .catch(function () { status('The link\\u2019s fragment could not be decoded.', true); });
  }
  window.kubeWhatif = { run: run, share: share, loadExample: loadExample, readState: readState };
})();
`

/** The playground page, served at `GET /`. */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>kube-whatif playground</title>
<link rel="stylesheet" href="/playground.css">
</head>
<body>
<header>
<h1>kube-whatif playground</h1>
<p id="intro">Paste Kubernetes manifests (or load an example) and see the ClusterIP/NodePort allocations, findings and the exact kube-proxy iptables rules; trace a packet or diff two versions. Everything runs on this server's API; the page needs no network beyond it.</p>
</header>
<main>
<form id="form" aria-describedby="intro">
  <fieldset>
    <legend>Operation</legend>
    <input type="radio" id="mode-plan" name="mode" value="plan" checked><label for="mode-plan">Plan</label>
    <input type="radio" id="mode-diff" name="mode" value="diff"><label for="mode-diff">Diff</label>
    <input type="radio" id="mode-trace" name="mode" value="trace"><label for="mode-trace">Trace</label>
  </fieldset>
  <div class="inline">
    <div><label for="example">Load an example</label>
    <select id="example"><option value="">Choose an example…</option></select></div>
  </div>
  <div data-modes="plan trace"><label for="manifests">Manifests (proposed; YAML or JSON, multi-document)</label>
    <textarea id="manifests" spellcheck="false" autocomplete="off"></textarea></div>
  <div data-modes="diff" class="grid2">
    <div><label for="base">Base manifests (before)</label><textarea id="base" spellcheck="false" autocomplete="off"></textarea></div>
    <div><label for="head">Head manifests (after)</label><textarea id="head" spellcheck="false" autocomplete="off"></textarea></div>
  </div>
  <div><label for="cluster">Cluster facts and existing objects (optional: ClusterProfile, KubeProxyConfiguration, Nodes, …)</label>
    <textarea id="cluster" spellcheck="false" autocomplete="off"></textarea></div>
  <div data-modes="trace" class="inline">
    <div><label for="from">From (IP, pod:NS/NAME or node:NAME)</label><input id="from" size="22" spellcheck="false"></div>
    <div><label for="to">To (IP:PORT)</label><input id="to" size="22" spellcheck="false"></div>
    <div><label for="protocol">Protocol</label><select id="protocol"><option value="tcp">TCP</option><option value="udp">UDP</option><option value="sctp">SCTP</option></select></div>
  </div>
  <details>
    <summary>Options</summary>
    <div class="inline">
      <div><label for="node">Node to render (optional)</label><input id="node" size="18" spellcheck="false"></div>
      <div><label for="ipFamily">IP family</label><select id="ipFamily"><option value="">Default</option><option value="IPv4">IPv4</option><option value="IPv6">IPv6</option></select></div>
      <div><label for="kubernetesVersion">Kubernetes version</label><select id="kubernetesVersion"><option value="">Default (profile, else ${DEFAULT_KUBERNETES_VERSION})</option>${[...KUBERNETES_VERSIONS].reverse().map((v) => `<option value="${v}">${v}</option>`).join('')}</select></div>
      <div><label for="proxyMode">kube-proxy mode</label><select id="proxyMode"><option value="">From the cluster facts</option><option value="iptables">iptables</option><option value="nftables">nftables</option></select></div>
      <div><label for="token">API token (only if the server requires one; not shared)</label><input id="token" type="password" size="24" autocomplete="off"></div>
    </div>
  </details>
  <div class="inline">
    <button type="submit" id="run" class="primary">Run</button>
    <button type="button" id="share">Copy share link</button>
    <input id="share-url" readonly hidden aria-label="Share link">
  </div>
</form>
<div id="results" aria-live="polite" aria-busy="false">
  <p id="status" role="status"></p>
  <section class="out" id="alloc-section" aria-labelledby="alloc-h"><h2 id="alloc-h">Allocations</h2>
    <table id="allocations"><caption class="muted">Services with their ClusterIPs and NodePorts (requested, allocated or kept)</caption><thead><tr><th scope="col">Service</th><th scope="col">Type</th><th scope="col">ClusterIPs</th><th scope="col">Ports</th><th scope="col">External</th><th scope="col">Origin</th></tr></thead><tbody></tbody></table>
    <h3>Range usage</h3>
    <div id="ranges" class="ranges"></div>
    <h3>Service ports</h3>
    <table id="ports"><thead><tr><th scope="col">Service port</th><th scope="col">VIP</th><th scope="col">Endpoints (chance)</th><th scope="col">Internal traffic</th><th scope="col">External traffic</th></tr></thead><tbody></tbody></table></section>
  <section class="out" id="diagram-section" aria-labelledby="diagram-h"><h2 id="diagram-h">Packet paths</h2>
    <p id="diagram-note" class="muted"></p>
    <div id="diagrams"></div></section>
  <section class="out" id="trace-section" aria-labelledby="trace-h"><h2 id="trace-h">Trace</h2>
    <p id="trace-output" class="muted"></p>
    <ul id="trace-notes"></ul>
    <table id="trace"><thead><tr><th scope="col">Probability</th><th scope="col">Outcome</th><th scope="col">Masquerade</th><th scope="col">Path</th></tr></thead><tbody></tbody></table></section>
  <section class="out" id="diff-section" aria-labelledby="diff-h"><h2 id="diff-h">Diff</h2>
    <pre id="diff" class="block" tabindex="0" aria-label="Diff report"></pre></section>
  <section class="out" id="findings-section" aria-labelledby="findings-h"><h2 id="findings-h">Findings</h2>
    <ul id="findings" class="findings"></ul></section>
  <section class="out" id="rules-section" aria-labelledby="rules-h"><h2 id="rules-h">Rules (iptables-restore)</h2>
    <pre id="rules" class="block" tabindex="0" aria-label="iptables-restore rules"></pre></section>
  <section class="out" id="raw-section" aria-labelledby="raw-h"><details><summary id="raw-h">Raw JSON</summary>
    <pre id="raw" class="block" tabindex="0" aria-label="Raw JSON response"></pre></details></section>
</div>
</main>
<script type="application/json" id="examples-data">${inlineJson(EXAMPLES)}</script>
<script src="/playground.js"></script>
</body>
</html>
`
