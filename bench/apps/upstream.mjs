// The outbound call's other end for the plain-http bench app: a tiny node:http server on
// 127.0.0.1:$PORT answering every request at once with a small JSON body. Started by the bench;
// exits when the bench's end of its stdin closes (the bench ended, however it ended).
import { createServer } from 'node:http';

const body = JSON.stringify({ rate: 1.07, currency: 'EUR' });
createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
