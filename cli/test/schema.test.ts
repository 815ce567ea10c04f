/**
 * The report's JSON Schema: the committed cli/schema/incident.schema.json is the one generated from
 * cli/src/report-schema.ts, its enums are the check registry's, and ajv accepts it (draft 2020-12).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CHECK_NAMES, CHECKS, FINDING_KINDS } from '../src/checks/index.ts';
import { renderSchema, SCHEMA_FILE, schemaIsStale } from '../src/schema-gen.ts';
import { validateJson as validate } from '@faultline/testkit';

const SCHEMA = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, any>;

describe('cli/schema/incident.schema.json', () => {
  it('is the one generated from cli/src/report-schema.ts (run npm run schema -w cli)', () => {
    assert.equal(schemaIsStale(), false);
    assert.equal(readFileSync(SCHEMA_FILE, 'utf8'), renderSchema());
  });

  it('lists every check name and finding kind of the registry', () => {
    assert.deepEqual(SCHEMA['properties']['checks']['items']['properties']['name']['enum'], CHECK_NAMES);
    assert.deepEqual(SCHEMA['properties']['findings']['items']['properties']['kind']['enum'], Object.keys(FINDING_KINDS));
    assert.equal(CHECK_NAMES.length, CHECKS.length);
    assert.ok(Object.keys(FINDING_KINDS).includes('client-requests'));
  });

  it('compiles in ajv (2020-12, strict) and rejects a report without its required fields', () => {
    assert.deepEqual(validate(SCHEMA, {}).length > 0, true);
    assert.match(validate(SCHEMA, {}).join('\n'), /must have required property 'schema'/);
  });
});
