/**
 * A small JSON Schema (2020-12) validator for the keywords cli/schema/incident.schema.json uses. It
 * throws on any keyword it does not know, so the schema cannot use one that would be silently ignored.
 */

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs']);
const KNOWN = new Set([
  ...ANNOTATIONS, 'type', 'required', 'properties', 'additionalProperties', 'items', 'enum', 'const',
  'minimum', 'maximum', 'minLength', 'maxItems', 'pattern', '$ref',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

/**
 * Errors of `value` against `schema` (empty when valid), each as `path: message`.
 * @param root - the document `$ref`s resolve in (default `schema`).
 * @throws Error on a keyword this validator does not implement.
 */
export function validate(schema: Schema, value: unknown, root: Schema = schema, path = '$'): string[] {
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`unsupported JSON Schema keyword ${k} at ${path}`);
  const errors: string[] = [];
  if (typeof schema['$ref'] === 'string') {
    const target = (schema['$ref'] as string).replace(/^#\//, '').split('/').reduce<unknown>((o, p) => (o as Schema)?.[p], root);
    if (!target) throw new Error(`unresolved $ref ${schema['$ref']}`);
    errors.push(...validate(target as Schema, value, root, path));
  }
  const t = schema['type'];
  if (t !== undefined && !(Array.isArray(t) ? t : [t]).some((x) => typeMatches(value, x as string))) {
    return [...errors, `${path}: expected ${JSON.stringify(t)}, got ${typeOf(value)}`];
  }
  if ('const' in schema && value !== schema['const']) errors.push(`${path}: expected ${JSON.stringify(schema['const'])}`);
  if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) errors.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema['enum'])}`);
  if (typeof value === 'number') {
    if (typeof schema['minimum'] === 'number' && value < schema['minimum']) errors.push(`${path}: ${value} < ${schema['minimum']}`);
    if (typeof schema['maximum'] === 'number' && value > schema['maximum']) errors.push(`${path}: ${value} > ${schema['maximum']}`);
  }
  if (typeof value === 'string') {
    if (typeof schema['minLength'] === 'number' && value.length < schema['minLength']) errors.push(`${path}: shorter than ${schema['minLength']}`);
    if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) errors.push(`${path}: ${JSON.stringify(value)} does not match ${schema['pattern']}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) errors.push(`${path}: more than ${schema['maxItems']} items`);
    if (schema['items']) value.forEach((v, i) => errors.push(...validate(schema['items'] as Schema, v, root, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of (schema['required'] as string[] | undefined) ?? []) if (!(r in obj)) errors.push(`${path}: missing ${r}`);
    const props = (schema['properties'] as Record<string, Schema> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errors.push(...validate(props[k], v, root, `${path}.${k}`));
      else if (schema['additionalProperties'] === false) errors.push(`${path}: unexpected property ${k}`);
      else if (typeof schema['additionalProperties'] === 'object') errors.push(...validate(schema['additionalProperties'] as Schema, v, root, `${path}.${k}`));
    }
  }
  return errors;
}
