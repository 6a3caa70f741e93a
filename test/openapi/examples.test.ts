import { describe, expect, it } from 'vitest';
import { compileSchema, deref, spec, specPaths } from '../helpers/openapi.js';

// biome-ignore lint/suspicious/noExplicitAny: parsed openapi.yaml, walked without a schema of its own
type Json = Record<string, any>;
type Media = { where: string; type: string; media: Json };

const isJson = (type: string) => /^application\/([a-z.+-]+\+)?json$/.test(type);

/** Every media object of every response: the operations' own and the shared ones under components/responses. */
function responseMedia(): Media[] {
  const inOperations = specPaths().flatMap(({ method, path }) =>
    Object.entries<Json>(spec.paths[path][method].responses ?? {}).map(
      ([status, response]) => [`${method.toUpperCase()} ${path} ${status}`, response] as const,
    ),
  );
  const shared = Object.entries<Json>(spec.components.responses ?? {}).map(([name, response]) => [`components/responses/${name}`, response] as const);
  return [...inOperations, ...shared]
    .filter(([, response]) => response.$ref === undefined)
    .flatMap(([where, response]) => Object.entries<Json>(response.content ?? {}).map(([type, media]) => ({ where, type, media })));
}

/** A media object's examples by name: `example`, or each of `examples` (a `$ref` followed). */
function examplesOf(media: Json): [string, unknown][] {
  if ('example' in media) return [['example', media.example]];
  return Object.entries<Json>(media.examples ?? {}).map(([name, example]) => [name, deref(example).value]);
}

describe('openapi.yaml examples', () => {
  it('show every JSON body the API answers with', () => {
    const media = responseMedia().filter((m) => isJson(m.type));
    expect(media.length).toBeGreaterThan(45);
    expect(media.filter((m) => examplesOf(m.media).length === 0).map((m) => m.where)).toEqual([]);
  });

  it('each validate against the schema they illustrate', () => {
    const checked = responseMedia().flatMap(({ where, type, media }) =>
      examplesOf(media).map(([name, value]) => {
        const validate = compileSchema(media.schema);
        return { at: `${where} ${type} ${name}`, errors: validate(value) ? [] : (validate.errors ?? []) };
      }),
    );
    expect(checked.length).toBeGreaterThan(50);
    expect(checked.filter((c) => c.errors.length > 0)).toEqual([]);
  });

  it('name the admin API errors not_found and conflict', () => {
    const error = (name: string) => examplesOf(spec.components.responses[name].content['application/json'])[0]![1];
    expect(error('AdminNotFound')).toMatchObject({ error: 'not_found' });
    expect(error('AdminConflict')).toMatchObject({ error: 'conflict' });
  });
});
