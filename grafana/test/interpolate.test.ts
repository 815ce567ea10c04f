/** Grafana's variable substitution as grafana/src/interpolate.ts reproduces it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpolate, intervalMs, rateIntervalMs, variableText, type SavedVariable } from '../src/interpolate.ts';

const client: SavedVariable = { name: 'client', multi: true, includeAll: true, allValue: '.+', current: { value: '$__all' } };
const edge: SavedVariable = { name: 'edge', current: { value: 'lb' } };
const hour = { to: 1_800_000_000_000, rangeMs: 3_600_000, scrapeMs: 5000 };

describe('interpolate', () => {
  it('gives $__interval ≥ the scrape interval and $__rate_interval ≥ 4 scrape intervals', () => {
    assert.equal(intervalMs(hour), 5000);
    assert.equal(rateIntervalMs(hour), 20_000);
    assert.equal(intervalMs({ ...hour, rangeMs: 86_400_000 }), 120_000);
    assert.equal(rateIntervalMs({ ...hour, rangeMs: 86_400_000 }), 125_000);
  });

  it('substitutes $__rate_interval, $__range and variables in all three syntaxes', () => {
    const out = interpolate(
      'rate(x{a="$edge",b=~"${client}",c="[[edge]]"}[$__rate_interval]) + increase(x[$__range] offset $__range)',
      [client, edge],
      hour,
    );
    assert.equal(out, 'rate(x{a="lb",b=~".+",c="lb"}[20s]) + increase(x[3600s] offset 3600s)');
  });

  it('escapes and joins multi-value selections; overrides win over saved values', () => {
    assert.equal(variableText(client, ['team-01', 'a.b']), '(team-01|a\\.b)');
    assert.equal(variableText(client, ['team-03']), 'team-03');
    assert.equal(interpolate('x{client_id=~"$client"}', [client], { ...hour, values: { client: ['team-03'] } }), 'x{client_id=~"team-03"}');
  });

  it('leaves unknown variables alone', () => {
    assert.equal(interpolate('x{a="$nope"}', [], hour), 'x{a="$nope"}');
  });
});
