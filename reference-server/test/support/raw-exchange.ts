import { connect as tcpConnect } from 'node:net';

/**
 * Send raw bytes to 127.0.0.1:port and collect what comes back until the server closes or `ms`
 * passes (a server that stalls is answered by the bound). Raw, because ws and http clients
 * normalise the request targets and headers the hostile tests need.
 */
export function rawExchange(port: number, text: string | Buffer, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = tcpConnect(port, '127.0.0.1');
    let got = '';
    const done = (): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve(got);
    };
    const timer = setTimeout(done, ms);
    sock.on('data', (d) => (got += d.toString('latin1')));
    sock.on('close', done);
    sock.on('error', done);
    sock.write(text);
  });
}
