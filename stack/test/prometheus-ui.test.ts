/** prometheus-ui.ts: the classic UI gets Popper's UMD build where Debian ships its ES module build. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { classicUiAssets, DEBIAN_WEB_ASSETS } from '../src/prometheus-ui.ts';

describe('classicUiAssets', () => {
  const root = mkdtempSync(join(tmpdir(), 'faultline-prometheus-ui-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  /** A Debian-like assets dir; `esm` decides what popper.min.js holds. */
  function layout(name: string, esm: boolean): string {
    const src = join(root, name);
    mkdirSync(join(src, 'templates'), { recursive: true });
    mkdirSync(join(src, 'static', 'js'), { recursive: true });
    mkdirSync(join(src, 'static', 'popper.js', 'umd'), { recursive: true });
    writeFileSync(join(src, 'templates', 'graph.html'), 'graph');
    writeFileSync(join(src, 'static', 'js', 'index.js'), 'index');
    writeFileSync(join(src, 'static', 'popper.js', 'popper.min.js'), esm ? 'var Popper=1;export{Popper as default};' : 'window.Popper=1;');
    writeFileSync(join(src, 'static', 'popper.js', 'umd', 'popper.min.js'), 'window.Popper=1;/*umd*/');
    return src;
  }

  it('mirrors the assets with the UMD build in place of the ES module build', () => {
    const out = classicUiAssets(join(root, 'out'), layout('debian', true));
    assert.equal(out, join(root, 'out'));
    assert.equal(readFileSync(join(out, 'static', 'popper.js', 'popper.min.js'), 'utf8'), 'window.Popper=1;/*umd*/');
    assert.equal(readFileSync(join(out, 'templates', 'graph.html'), 'utf8'), 'graph');
    assert.equal(readFileSync(join(out, 'static', 'js', 'index.js'), 'utf8'), 'index');
    assert.ok(existsSync(join(out, 'static', 'popper.js', 'umd', 'popper.min.js')));
  });

  it('leaves any other layout alone', () => {
    assert.equal(classicUiAssets(join(root, 'out2'), layout('fixed', false)), undefined);
    assert.equal(classicUiAssets(join(root, 'out3'), join(root, 'nothing-here')), undefined);
  });

  it("applies to this machine's Debian Prometheus, if installed", { skip: !existsSync(DEBIAN_WEB_ASSETS) }, () => {
    const out = classicUiAssets(join(root, 'real'));
    if (out) assert.doesNotMatch(readFileSync(join(out, 'static', 'popper.js', 'popper.min.js'), 'utf8'), /\bexport\s*\{/);
  });
});
