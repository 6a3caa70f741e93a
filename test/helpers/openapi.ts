import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as unknown as typeof addFormatsModule.default;

export const specFile = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

// biome-ignore lint/suspicious/noExplicitAny: parsed openapi.yaml and response bodies, walked without a schema of their own
type Json = Record<string, any>;
export type SpecOperation = { method: string; path: string };

const schemaBase = 'https://tessera.invalid/openapi';
const componentSchemaRef = /^#\/components\/schemas\/(.+)$/;

/** The parsed openapi.yaml, loaded once per test file. */
export const spec: Json = parse(readFileSync(specFile, 'utf8'));

/** Ajv 2020-12 (the OpenAPI 3.1 dialect), strict, with the component schemas registered under one $id. */
export const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
addFormats(ajv);
// The OpenAPI 3.1 base vocabulary adds these annotation keywords to JSON Schema; any other unknown keyword is a typo.
ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
ajv.addSchema({ $id: schemaBase, $defs: rewriteRefs(spec.components?.schemas ?? {}) });

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

/** Every documented operation, as lower-case method and OpenAPI path template. */
export function specPaths(): SpecOperation[] {
  return Object.entries<Json>(spec.paths ?? {}).flatMap(([path, item]) => methods.filter((m) => item[m] !== undefined).map((method) => ({ method, path })));
}

/** Follows a local `$ref` (`#/components/...`); throws naming the reference when it leads nowhere. */
export function resolvePointer(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported, got ${ref}`);
  let node: unknown = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`unresolved $ref ${ref}`);
    node = (node as Json)[key];
  }
  return node;
}

/** An OpenAPI object (response, header, parameter…) with its `$ref` followed. */
export const deref = <T = Json>(node: Json): T => (typeof node.$ref === 'string' ? deref(resolvePointer(node.$ref) as Json) : (node as T));

const compiled = new WeakMap<object, ValidateFunction>();

/** Compiles a schema from the spec; component references resolve against the registered $defs. */
export function compileSchema(schema: Json): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(schema));
    compiled.set(schema, validate);
  }
  return validate;
}

/** The documented operation for a method and a path (a template like `/admin/users/{id}` or a concrete path). */
export function findOperation({ method, path: rawPath }: SpecOperation): { template: string; operation: Json } {
  const path = rawPath.split('?')[0]!;
  const m = method.toLowerCase();
  const paths: Record<string, Json> = spec.paths ?? {};
  const template =
    paths[path] !== undefined
      ? path
      : Object.keys(paths).find((t) => new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path));
  const operation = template === undefined ? undefined : paths[template]![m];
  if (template === undefined || operation === undefined) throw new Error(`openapi.yaml documents no ${m.toUpperCase()} ${path}`);
  return { template, operation };
}

/**
 * Asserts that a real response is one the spec documents for the operation: its status is listed,
 * its required headers are present with valid values, its content type is documented, and a JSON
 * body validates against the documented schema. Reads a clone, so the caller may still read `res`.
 */
export async function expectMatchesSpec(res: Response, op: SpecOperation): Promise<void> {
  const { template, operation } = findOperation(op);
  const where = `${op.method.toUpperCase()} ${template} → ${res.status}`;
  const responses: Record<string, Json> = operation.responses ?? {};
  const key = [String(res.status), `${String(res.status)[0]}XX`, 'default'].find((k) => responses[k] !== undefined);
  if (key === undefined) {
    throw new Error(`${where}: status ${res.status} is not documented (documented: ${Object.keys(responses).join(', ')}); body: ${await res.clone().text()}`);
  }
  const documented = deref(responses[key]!);

  for (const [name, header] of Object.entries<Json>(documented.headers ?? {})) {
    const h = deref(header);
    const value = res.headers.get(name);
    if (value === null) {
      if (h.required) throw new Error(`${where}: required header ${name} is missing`);
      continue;
    }
    if (h.schema && !compileSchema(h.schema)(value)) throw new Error(`${where}: header ${name}: "${value}" ${describeErrors(compileSchema(h.schema).errors)}`);
  }

  const body = await res.clone().text();
  const content: Record<string, Json> = documented.content ?? {};
  if (Object.keys(content).length === 0) {
    if (body !== '') throw new Error(`${where}: the spec documents no body, but got: ${body.slice(0, 200)}`);
    return;
  }
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const media = content[type];
  if (media === undefined) throw new Error(`${where}: content type "${type}" is not documented (documented: ${Object.keys(content).join(', ')})`);
  if (!/^application\/([a-z.+-]+\+)?json$/.test(type) || media.schema === undefined) return;

  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`${where}: the body is not JSON: ${body.slice(0, 200)}`);
  }
  const validate = compileSchema(media.schema);
  if (!validate(json)) throw new Error(`${where}: body does not match openapi.yaml: ${describeErrors(validate.errors)}\nbody: ${JSON.stringify(json)}`);
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
    .join('; ');
}

/** A deep copy whose `#/components/schemas/X` references point into the registered $defs. */
function rewriteRefs<T>(node: T): T {
  if (Array.isArray(node)) return node.map(rewriteRefs) as T;
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => {
      if (k === '$ref' && typeof v === 'string') {
        const match = componentSchemaRef.exec(v);
        if (!match) throw new Error(`a schema may only reference #/components/schemas/…, got ${v}`);
        return [k, `${schemaBase}#/$defs/${match[1]}`];
      }
      return [k, rewriteRefs(v)];
    }),
  ) as T;
}
