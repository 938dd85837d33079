// Compose-spec schema validation: one ajv validator compiled lazily, errors collapsed to one readable message per
// instance path (anyOf/oneOf branches merged), each anchored on the exact YAML key or value it concerns.

import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isSeq, type Document, type Node } from 'yaml';
import schemaJson from './compose-spec.json';
import { deref, pairIn } from '../parse/compose';

export interface SchemaIssue {
  /** Pretty instance path (`services.web.ports[0]`). */
  path: string;
  message: string;
  /** The node to point at: the offending key for unknown keys, otherwise the value. */
  node: Node | undefined;
  /** True when `node` is a key node. */
  atKey: boolean;
}

type Json = Record<string, unknown>;

/** The schema as published, for hover descriptions (never modified). */
export const COMPOSE_SCHEMA = schemaJson as unknown as Json;

/**
 * Compose interpolates before it validates, so `${REPLICAS}` may stand where a number or boolean goes. The
 * schema copy we compile accepts an interpolated string wherever it only accepts numbers or booleans.
 */
function tolerateInterpolation(node: unknown, branch = false): unknown {
  if (Array.isArray(node)) return node.map((n) => tolerateInterpolation(n));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'enum' || k === 'const' || k === 'required') out[k] = v;
    else if ((k === 'oneOf' || k === 'anyOf') && Array.isArray(v)) {
      // a sibling branch that takes strings already accepts `${...}`; widening others would make oneOf ambiguous
      const takesString = v.some((b) => typesOf(b).includes('string'));
      out[k] = v.map((b) => tolerateInterpolation(b, takesString));
    } else out[k] = tolerateInterpolation(v);
  }
  const types = typesOf(out);
  if (!branch && types.length && !types.includes('string') && types.some((t) => t === 'integer' || t === 'number' || t === 'boolean')) {
    const { description, ...rest } = out;
    return { description, anyOf: [rest, { type: 'string', pattern: '\\$\\{?[A-Za-z_]' }] };
  }
  return out;
}

function typesOf(schema: unknown): string[] {
  const t = (schema as Json | null)?.type;
  return typeof t === 'string' ? [t] : Array.isArray(t) ? (t as string[]) : [];
}

/**
 * Service keys that Docker Compose accepts (its loader's newer copy of the schema) and the canonical schema does not
 * list yet; their content is left to Compose. Without them a file Compose runs would get a schema error.
 */
const COMPOSE_ONLY_SERVICE_KEYS: Record<string, Json> = {
  // init containers run to completion before the service starts (compose-go v2.14)
  pre_start: { type: 'array' },
};

/** The canonical schema, with the service keys Compose also accepts. */
function withComposeKeys(schema: Json): Json {
  const defs = schema.definitions as Record<string, Json>;
  const service = defs.service;
  return { ...schema, definitions: { ...defs, service: { ...service, properties: { ...(service.properties as Json), ...COMPOSE_ONLY_SERVICE_KEYS } } } };
}

interface Validators { file: ValidateFunction; service: ValidateFunction }
let validators: Validators | undefined;

function compiled(): Validators {
  if (!validators) {
    const { $schema: _ignored, ...schema } = withComposeKeys(tolerateInterpolation(schemaJson) as Json);
    void _ignored;
    // the validator library is loaded with the first compose file, not with the server (a Dockerfile-only session
    // never holds it)
    const { default: Ajv } = require('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    ajv.addSchema(schema);
    const id = String(schema.$id);
    validators = { file: ajv.getSchema(id)!, service: ajv.getSchema(`${id}#/definitions/service`)! };
  }
  return validators;
}

/** The names the schema allows under `services`: its one pattern property there (a test keeps the two equal). */
export const SERVICE_NAME = /^[a-zA-Z0-9._-]+$/;

/**
 * A service's errors, relative to the service, remembered by its value: a file's next version keeps the values of
 * the services an edit did not touch (parse/composeIncremental.ts), so only the edited service is validated again.
 */
const serviceErrors = new WeakMap<object, ErrorObject[]>();

function errorsOfService(value: object): ErrorObject[] {
  let errs = serviceErrors.get(value);
  if (!errs) {
    const validate = compiled().service;
    errs = validate(value) ? [] : [...(validate.errors ?? [])];
    serviceErrors.set(value, errs);
  }
  return errs;
}

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The schema's errors for a file's value, the same as one validation of the whole value gives (`whole`, for tests):
 * the file without its services, then each service on its own (errors moved under `/services/<name>`).
 */
export function schemaErrors(value: unknown, opts: { whole?: boolean } = {}): ErrorObject[] {
  const { file } = compiled();
  if (opts.whole) return file(value) ? [] : [...(file.errors ?? [])];
  const services = isObject(value) ? value.services : undefined;
  const names = isObject(services) ? Object.keys(services) : [];
  // other shapes (and a name the schema refuses, reported at `services` itself) are validated whole
  if (!isObject(services) || !names.every((n) => SERVICE_NAME.test(n) && isObject(services[n]))) {
    return file(value) ? [] : [...(file.errors ?? [])];
  }
  const errors: ErrorObject[] = file({ ...(value as Json), services: {} }) ? [] : [...(file.errors ?? [])];
  for (const name of names) {
    const prefix = `/services/${pointer(name)}`;
    for (const e of errorsOfService(services[name] as object)) errors.push({ ...e, instancePath: prefix + e.instancePath });
  }
  return errors;
}

function segments(instancePath: string): string[] {
  if (!instancePath) return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `services.web.ports[0]`: array indices in brackets, odd keys quoted. */
export function prettyPath(segs: (string | number)[], isIndex: (i: number) => boolean = () => false): string {
  let out = '';
  segs.forEach((s, i) => {
    if (isIndex(i)) out += `[${s}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(String(s))) out += (out ? '.' : '') + s;
    else out += `[${JSON.stringify(String(s))}]`;
  });
  return out || '(top level)';
}

const TYPE_NAMES: Record<string, string> = { string: 'a string', object: 'a mapping', array: 'a list', integer: 'an integer', number: 'a number', boolean: 'a boolean', null: 'null' };

function describeTypes(types: string[]): string {
  const uniq = [...new Set(types.flatMap((t) => (t === 'integer' && types.includes('number') ? [] : [t])))].map((t) => TYPE_NAMES[t] ?? t);
  if (uniq.length <= 1) return uniq[0] ?? 'another type';
  return `${uniq.slice(0, -1).join(', ')} or ${uniq[uniq.length - 1]}`;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

function valueAt(root: unknown, segs: string[]): unknown {
  let v = root;
  for (const s of segs) v = v && typeof v === 'object' ? (v as Json)[s] : undefined;
  return v;
}

interface Located { node: Node | undefined; indexSegs: Set<number> }

/** Find the YAML node for a JSON-pointer path (merge keys and aliases followed). */
function locate(doc: Document, segs: string[]): Located {
  let node = deref(doc, doc.contents);
  const indexSegs = new Set<number>();
  for (let i = 0; i < segs.length && node; i++) {
    if (isMap(node)) {
      const p = pairIn(doc, node, segs[i]);
      if (!p) return { node, indexSegs };
      node = deref(doc, p.value) ?? (p.key as Node);
    } else if (isSeq(node)) {
      indexSegs.add(i);
      const item = node.items[Number(segs[i])];
      if (item === undefined) return { node, indexSegs };
      node = deref(doc, item);
    } else break;
  }
  return { node, indexSegs };
}

function keyNode(doc: Document, parent: Node | undefined, key: string): Node | undefined {
  if (!isMap(parent)) return undefined;
  return pairIn(doc, parent, key)?.key as Node | undefined;
}

/** Validate one resolved document value; issues are collapsed as described in the file header. */
export function validateCompose(doc: Document, value: unknown): SchemaIssue[] {
  const errors = schemaErrors(value);
  if (errors.length === 0) return [];
  // the key a problem is about: unknown keys and bad names point at the key itself
  const target = (e: ErrorObject): string => {
    if (e.keyword === 'additionalProperties') return `${e.instancePath}/${(e.params as { additionalProperty: string }).additionalProperty}`;
    if (e.keyword === 'propertyNames' || (e.params as { propertyName?: string }).propertyName !== undefined) {
      return `${e.instancePath}/${(e.params as { propertyName: string }).propertyName}`;
    }
    return e.instancePath;
  };
  const meaningful = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const byPath = new Map<string, ErrorObject[]>();
  for (const e of meaningful) {
    const t = target(e);
    byPath.set(t, [...(byPath.get(t) ?? []), e]);
  }
  // a oneOf that fails because two branches matched has no branch errors: keep it
  for (const e of errors) if (e.keyword === 'oneOf' && (e.params as { passingSchemas?: unknown }).passingSchemas && !byPath.has(e.instancePath)) byPath.set(e.instancePath, [e]);
  const paths = [...byPath.keys()];
  const issues: SchemaIssue[] = [];
  for (const p of paths.sort()) {
    const errs = byPath.get(p)!;
    const deeper = paths.some((q) => q !== p && q.startsWith(p + '/'));
    const nonType = errs.filter((e) => e.keyword !== 'type');
    // type errors from branches the value did not take are noise when another branch got further
    if (nonType.length === 0 && deeper) continue;
    const segs = segments(p);
    const found = valueAt(value, segs);
    const isKey = errs.some((e) => e.keyword === 'additionalProperties' || e.keyword === 'propertyNames' || (e.params as { propertyName?: string }).propertyName !== undefined);
    const parent = locate(doc, isKey ? segs.slice(0, -1) : segs);
    const node = isKey ? keyNode(doc, parent.node, segs[segs.length - 1]) ?? parent.node : parent.node;
    const pretty = prettyPath(isKey ? segs.slice(0, -1) : segs, (i) => parent.indexSegs.has(i));
    issues.push({ path: pretty, message: `${pretty}: ${messageFor(nonType.length ? nonType : errs, found, segs[segs.length - 1])}`, node, atKey: isKey });
  }
  return issues;
}

function messageFor(errs: ErrorObject[], value: unknown, last: string | undefined): string {
  const e = errs[0];
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': return `expected ${describeTypes(errs.flatMap((x) => String((x.params as { type: string }).type).split(',')))}, found ${typeOf(value)}`;
    case 'additionalProperties': return `\`${String(params.additionalProperty)}\` is not a Compose key here`;
    case 'propertyNames':
    case 'pattern':
      if (params.propertyName !== undefined || e.keyword === 'propertyNames') return `\`${String(params.propertyName ?? last)}\` is not a valid name`;
      return `\`${String(value)}\` is not in the expected format`;
    case 'required': return `\`${String(params.missingProperty)}\` is required`;
    case 'enum': {
      const allowed = [...new Set(errs.flatMap((x) => ((x.params as { allowedValues?: unknown[] }).allowedValues ?? [])))];
      return `expected one of ${allowed.map((a) => `\`${String(a)}\``).join(', ')}, found \`${String(value)}\``;
    }
    case 'const': return `expected \`${String(params.allowedValue)}\``;
    case 'uniqueItems': return `items ${String(params.j)} and ${String(params.i)} are the same; list each entry once`;
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return `${String(value)} is out of range (${e.keyword} ${String(params.limit)})`;
    case 'minItems': return `needs at least ${String(params.limit)} item(s)`;
    case 'minProperties': return `needs at least ${String(params.limit)} key(s)`;
    case 'oneOf': return 'matches more than one of the allowed forms; make it unambiguous';
    case 'not': return 'is not allowed here';
    default: return e.message ?? 'does not match the Compose specification';
  }
}
