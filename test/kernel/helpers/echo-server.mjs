// Tiny TCP+UDP echo server for the kernel packet tests, run inside a backend "pod" namespace:
//   node echo-server.mjs NAME IP PORT
// Listens on IP:PORT for TCP and UDP. Each TCP connection / UDP datagram gets one line back:
//   "NAME IP:PORT PEER_IP"  (who answered, on which address, and the source address it saw).
// Prints "ready" once both sockets listen; exits on SIGTERM or when its parent closes stdin.
import dgram from 'node:dgram'
import net from 'node:net'

const [name, ip, portText] = process.argv.slice(2)
const port = Number(portText)
const family = ip.includes(':') ? 6 : 4
const self = family === 6 ? `[${ip}]:${port}` : `${ip}:${port}`
const strip = (a) => (a.startsWith('::ffff:') ? a.slice(7) : a)

const tcp = net.createServer((sock) => {
  sock.on('error', () => {})
  sock.end(`${name} ${self} ${strip(sock.remoteAddress ?? '')}\n`)
})
const udp = dgram.createSocket(family === 6 ? 'udp6' : 'udp4')
udp.on('message', (_msg, rinfo) => {
  udp.send(`${name} ${self} ${strip(rinfo.address)}\n`, rinfo.port, rinfo.address)
})
udp.on('error', (e) => {
  console.error(`udp: ${e.message}`)
})
let pending = 2
const ready = () => {
  if (--pending === 0) console.log('ready')
}
tcp.listen({ host: ip, port }, ready)
udp.bind({ address: ip, port }, ready)
const stop = () => {
  tcp.close()
  udp.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.stdin.on('end', stop)
process.stdin.resume()
// Hard stop: a test never needs a server for more than two minutes.
setTimeout(stop, 120_000).unref()
