// A fast static target for bench/k6-cpu.ts: 200 and the same small JSON body for every request,
// on 127.0.0.1 at a free port, printed on the first line of stdout. Plain node:http, so it runs
// on a fresh machine with nothing installed beyond Node.
import http from 'node:http'

const body = Buffer.from('{"id":42,"name":"lamp","price":19.5,"items":[]}')
const server = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length })
    res.end(body)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
