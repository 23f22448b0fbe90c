// Client for the kernel packet tests, run inside the client (or a pod) namespace:
//   node echo-client.mjs PROTO DEST_IP DEST_PORT COUNT TIMEOUT_MS [SOURCE_IP]
// Makes COUNT sequential attempts (new source port each time), each bounded by TIMEOUT_MS, and
// prints one JSON array: {ok:true, name, backend, peer} or {ok:false, error:'timeout'|'refused'|CODE}.
import dgram from 'node:dgram'
import net from 'node:net'

const [proto, dest, portText, countText, timeoutText, source] = process.argv.slice(2)
const port = Number(portText)
const count = Math.min(Number(countText), 500)
const timeout = Math.min(Number(timeoutText), 10_000)
const family = dest.includes(':') ? 6 : 4

function parse(line) {
  const [name, backend, peer] = line.trim().split(' ')
  return { ok: true, name, backend, peer }
}

function fail(err) {
  if (err === 'timeout') return { ok: false, error: 'timeout' }
  if (err.code === 'ECONNREFUSED') return { ok: false, error: 'refused' }
  return { ok: false, error: err.code ?? String(err.message) }
}

function tcpOnce() {
  return new Promise((resolve) => {
    let data = ''
    let done = false
    const finish = (r) => {
      if (done) return
      done = true
      clearTimeout(timer)
      sock.destroy()
      resolve(r)
    }
    const sock = net.connect({ host: dest, port, ...(source ? { localAddress: source } : {}) })
    const timer = setTimeout(() => finish(fail('timeout')), timeout)
    sock.on('data', (d) => (data += d))
    sock.on('end', () => finish(data.includes('\n') ? parse(data) : { ok: false, error: 'empty' }))
    sock.on('error', (e) => finish(fail(e)))
  })
}

function udpOnce() {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(family === 6 ? 'udp6' : 'udp4')
    let done = false
    const finish = (r) => {
      if (done) return
      done = true
      clearTimeout(timer)
      sock.close()
      resolve(r)
    }
    const timer = setTimeout(() => finish(fail('timeout')), timeout)
    sock.on('message', (m) => finish(parse(m.toString())))
    // A connected UDP socket reports the ICMP port-unreachable of a REJECT as ECONNREFUSED.
    sock.on('error', (e) => finish(fail(e)))
    sock.bind({ address: source ?? (family === 6 ? '::' : '0.0.0.0'), port: 0 }, () => {
      sock.connect(port, dest, (err) => {
        if (err) return finish(fail(err))
        sock.send('hello', (e) => e && finish(fail(e)))
      })
    })
  })
}

const results = []
for (let i = 0; i < count; i++) results.push(await (proto === 'udp' ? udpOnce() : tcpOnce()))
console.log(JSON.stringify(results))
