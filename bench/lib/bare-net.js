// The floor of any Node generator: a bare `net` loop, N keep-alive sockets, one prebuilt
// GET each, and the least parsing that still frames a response (end of headers, then
// content-length, or chunked until the zero chunk). Nothing measured but the count.
// Prints {"rps":…,"cpuUsPerRequest":…}. Usage: node bare-net.js URL SECONDS CONNECTIONS
import { connect } from 'node:net';
import { reportAfter } from './bare-report.js';

const url = new URL(process.argv[2]);
const seconds = Number(process.argv[3] ?? 10);
const connections = Number(process.argv[4] ?? 50);
const request = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\n\r\n`, 'latin1');
const CL = Buffer.from('\r\ncontent-length:', 'latin1');
const state = { count: 0, stop: false };

function loop() {
  const socket = connect({ host: url.hostname, port: Number(url.port || 80) });
  socket.setNoDelay(true);
  let pending = null;
  const onData = (data) => {
    let buf = pending === null ? data : Buffer.concat([pending, data]);
    pending = null;
    for (;;) {
      const end = buf.indexOf('\r\n\r\n', 0, 'latin1');
      if (end < 0) break;
      const lower = buf.subarray(0, end).toString('latin1').toLowerCase();
      const i = lower.indexOf(CL.toString('latin1'));
      let bodyEnd;
      if (i >= 0) {
        bodyEnd = end + 4 + parseInt(lower.slice(i + CL.length), 10);
      } else {
        const z = buf.indexOf('\r\n0\r\n\r\n', end, 'latin1');
        if (z < 0) break;
        bodyEnd = z + 7;
      }
      if (bodyEnd > buf.length) break;
      state.count++;
      buf = buf.subarray(bodyEnd);
      if (!state.stop) socket.write(request);
    }
    if (buf.length > 0) pending = buf;
  };
  socket.on('data', onData);
  socket.on('error', (err) => {
    console.error(err);
    process.exit(1);
  });
  socket.write(request);
}

for (let i = 0; i < connections; i++) loop();
reportAfter(seconds, state);
