/**
 * The chaos switch against a real Toxiproxy (the stack's, on free ports) in front of a TCP echo server:
 * a scenario's toxics go on and off idempotently, and what they do is what the link sees.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePorts, startToxiproxy, type ToxiproxyInstance } from '../../stack/src/index.ts';
import { switchToxics, toxicsStatus } from '../scenario/toxics.ts';
import type { Scenario } from '../shared/scenarios.ts';

/** Sends `hello` through `port`; resolves what came back, or the error's code. */
function roundTrip(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('hello'));
    s.setTimeout(3000, () => (s.destroy(), resolve('timeout')));
    s.once('data', (d) => (s.destroy(), resolve(d.toString())));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    s.once('close', () => resolve('closed'));
  });
}

const cut: Scenario = {
  name: 'cut',
  description: 'resets the echo link',
  whereToLook: '-',
  services: ['toxiproxy'],
  toxics: [{ proxy: 'echo', type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } }],
};

describe('chaos switch through Toxiproxy', () => {
  let echo: net.Server;
  let toxiproxy: ToxiproxyInstance;
  let listen = 0;
  before(async () => {
    const [echoPort, apiPort, proxyPort] = await freePorts(3);
    listen = proxyPort!;
    // A reset link resets the echo's side too: that is expected, not an error of the test.
    echo = net.createServer((c) => c.on('error', () => {}).pipe(c)).listen(echoPort, '127.0.0.1');
    toxiproxy = await startToxiproxy({
      port: apiPort,
      proxies: [{ name: 'echo', listen: `127.0.0.1:${proxyPort}`, upstream: `127.0.0.1:${echoPort}` }],
    });
  });
  after(async () => {
    await toxiproxy?.stop();
    echo?.close();
  });

  it('adds the toxics once, the link fails while they are on, and removes them once', async () => {
    assert.equal(await roundTrip(listen), 'hello');
    assert.deepEqual(await switchToxics(cut, true, toxiproxy.url), { added: ['echo/cut-reset_peer-upstream'], removed: [] });
    assert.deepEqual(await switchToxics(cut, true, toxiproxy.url), { added: [], removed: [] }, 'on when on does nothing');
    assert.deepEqual(await toxicsStatus(toxiproxy.url), { echo: ['cut-reset_peer-upstream'] });
    assert.notEqual(await roundTrip(listen), 'hello');
    assert.deepEqual(await switchToxics(cut, false, toxiproxy.url), { added: [], removed: ['echo/cut-reset_peer-upstream'] });
    assert.deepEqual(await switchToxics(cut, false, toxiproxy.url), { added: [], removed: [] }, 'off when off does nothing');
    assert.equal(await roundTrip(listen), 'hello');
  });
});
