/**
 * Template variables. Each saves a `current` value, which is what Grafana uses on first load and what
 * the proof test substitutes: `All` becomes the variable's `allValue` (a regex matching every value).
 */
import { QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS } from './datasources.ts';

/** Options of {@link labelVariable}. */
export interface LabelVariableOptions {
  label: string;
  /** Value selected on load. Default: All (needs `multi`). */
  current?: string;
  /** Several values and an All option (`allValue` `.+`). */
  multi?: boolean;
}

/** A variable over the values of `label` in the series `selector` (`label_values(selector, label)`). */
export function labelVariable(name: string, selector: string, label: string, o: LabelVariableOptions): QueryVariableBuilder {
  const query = `label_values(${selector}, ${label})`;
  const v = new QueryVariableBuilder(name)
    .label(o.label)
    .datasource(PROMETHEUS)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
  if (o.multi) v.multi(true).includeAll(true).allValue('.+');
  const current = o.current ?? '$__all';
  v.current({ selected: true, text: current === '$__all' ? 'All' : current, value: current });
  return v;
}
