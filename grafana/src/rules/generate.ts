/**
 * `npm run rules`: writes grafana/rules/faultline.rules.yml (committed; Prometheus loads it natively
 * and in compose). `--check` writes nothing and exits 1 if the committed file differs; `--table`
 * prints the README's rule table.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRules, renderTable } from './render.ts';

/** `grafana/rules/faultline.rules.yml`. */
export const RULES_FILE: string = fileURLToPath(new URL('../../rules/faultline.rules.yml', import.meta.url));

/** True when the committed rules file is exactly what grafana/src/rules generates. */
export function rulesCurrent(file: string = RULES_FILE): boolean {
  return existsSync(file) && readFileSync(file, 'utf8') === renderRules();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--check')) {
    if (!rulesCurrent()) {
      console.error('out of date: grafana/rules/faultline.rules.yml (run npm run rules)');
      process.exit(1);
    }
    console.log('rules up to date');
  } else if (process.argv.includes('--table')) {
    console.log(renderTable());
  } else {
    mkdirSync(dirname(RULES_FILE), { recursive: true });
    writeFileSync(RULES_FILE, renderRules());
    console.log('wrote grafana/rules/faultline.rules.yml');
  }
}
