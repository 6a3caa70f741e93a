// Renders the parsed openapi.yaml as one self-contained HTML page: no scripts, no fonts, nothing fetched.

// biome-ignore lint/suspicious/noExplicitAny: a node of the parsed openapi.yaml, walked without a schema of its own
type Node = Record<string, any>;

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

// biome-ignore lint/suspicious/noShadowRestrictedNames: this module's HTML escaper; the deprecated global escape() is not used here
const escape = (s: unknown): string => String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** Paragraphs and `code` spans: the little Markdown the descriptions use. */
const prose = (text: unknown): string =>
  typeof text !== 'string' || text.trim() === ''
    ? ''
    : text
        .trim()
        .split(/\n\s*\n/)
        .map((p) => `<p>${escape(p.replace(/\s*\n\s*/g, ' ')).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
        .join('');

const refName = (ref: string): string => ref.slice(ref.lastIndexOf('/') + 1);
const anchor = (kind: string, name: string): string => `${kind}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function resolve(doc: Node, node: Node): Node {
  if (typeof node?.$ref !== 'string') return node;
  const target = node.$ref
    .slice(2)
    .split('/')
    .reduce((n: Node | undefined, key: string) => n?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  return target ? resolve(doc, target) : {};
}

/** A one-line type: `string`, `"Bearer"`, `one of a, b`, `array of Client`, with links to named schemas. */
function typeLabel(schema: Node | undefined): string {
  if (!schema) return 'any';
  if (typeof schema.$ref === 'string') return `<a href="#${anchor('schema', refName(schema.$ref))}">${escape(refName(schema.$ref))}</a>`;
  if ('const' in schema) return `<code>${escape(JSON.stringify(schema.const))}</code>`;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v: unknown) => `<code>${escape(v)}</code>`).join(', ')}`;
  // `allOf: [Error, {properties: {error: {const: …}}}]` is the named schema narrowed: its name, not "Error and object".
  if (Array.isArray(schema.allOf))
    return schema.allOf
      .filter((s: Node) => s.$ref || !s.properties)
      .map(typeLabel)
      .join(' and ');
  for (const [key, joiner] of [
    ['oneOf', ' or '],
    ['anyOf', ' or '],
  ] as const) {
    if (Array.isArray(schema[key])) return schema[key].map((s: Node) => typeLabel(s)).join(joiner);
  }
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const label = types.map((t) => (t === 'array' ? `array of ${typeLabel(schema.items)}` : t)).join(' | ') || (schema.properties ? 'object' : 'any');
  return schema.format ? `${label} (${escape(schema.format)})` : label;
}

function propertiesTable(schema: Node): string {
  const props = Object.entries<Node>(schema.properties ?? {});
  if (props.length === 0) return '';
  const required = new Set<string>(schema.required ?? []);
  const rows = props.map(
    ([name, p]) =>
      `<tr><td><code>${escape(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${typeLabel(p)}</td><td>${prose(p.description)}</td></tr>`,
  );
  const closed = schema.additionalProperties === false ? '<p class="note">No other fields.</p>' : '';
  return `<table><tr><th>field</th><th>type</th><th>meaning</th></tr>${rows.join('')}</table>${closed}`;
}

/** The parts of an `allOf` as one object schema: every field once, a later part narrowing an earlier one's type. */
function mergeAllOf(doc: Node, schema: Node): Node {
  const parts = (schema.allOf as Node[]).map((part) => resolve(doc, part));
  return {
    properties: Object.assign({}, ...parts.map((part) => part.properties)),
    required: parts.flatMap((part) => part.required ?? []),
    ...(parts.some((part) => part.additionalProperties === false) ? { additionalProperties: false } : {}),
  };
}

/** A schema as its type line (a link for a named one) plus its fields. */
function schemaBlock(doc: Node, schema: Node | undefined): string {
  if (!schema) return '';
  if (typeof schema.$ref === 'string') return `<p>${typeLabel(schema)}</p>${propertiesTable(resolve(doc, schema))}`;
  if (Array.isArray(schema.allOf)) return `<p>${typeLabel(schema)}</p>${prose(schema.description)}${propertiesTable(mergeAllOf(doc, schema))}`;
  const variants = ((schema.oneOf ?? []) as Node[]).map((v) => resolve(doc, v));
  const inline = variants
    .filter((v) => v.properties)
    .map(propertiesTable)
    .join('');
  return `<p>${typeLabel(schema)}</p>${prose(schema.description)}${propertiesTable(schema)}${inline}`;
}

/** A media type's examples, each under its summary (or name) when there are several. */
function examplesBlock(doc: Node, media: Node): string {
  const named: [string, Node][] =
    'example' in media ? [['', { value: media.example }]] : Object.entries<Node>(media.examples ?? {}).map(([name, ex]) => [name, resolve(doc, ex)]);
  return named
    .map(([name, ex]) => {
      const text = typeof ex.value === 'string' ? ex.value : JSON.stringify(ex.value, null, 2);
      const label = name ? `example: ${ex.summary ?? name}` : 'example';
      return `<div class="example"><span class="ctype">${escape(label)}</span><pre>${escape(text)}</pre></div>`;
    })
    .join('');
}

function contentBlock(doc: Node, content: Node | undefined): string {
  return Object.entries<Node>(content ?? {})
    .map(([type, media]) => `<div class="media"><span class="ctype">${escape(type)}</span>${schemaBlock(doc, media.schema)}${examplesBlock(doc, media)}</div>`)
    .join('');
}

function operationBlock(doc: Node, path: string, method: string, op: Node, shared: Node[]): string {
  const params = [...shared, ...(op.parameters ?? [])].map((p: Node) => resolve(doc, p));
  const paramRows = params.map(
    (p) =>
      `<tr><td><code>${escape(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${escape(p.in)}</td><td>${typeLabel(p.schema)}</td><td>${prose(p.description)}</td></tr>`,
  );
  const security = (op.security ?? doc.security ?? []) as Node[];
  const auth = security.map((s) => Object.keys(s).join(' + ') || 'none').join(' or ');
  const body = op.requestBody ? resolve(doc, op.requestBody) : undefined;
  const responses = Object.entries<Node>(op.responses ?? {}).map(([status, raw]) => {
    const r = resolve(doc, raw);
    const headers = Object.entries<Node>(r.headers ?? {})
      .map(([name, h]) => `<li><code>${escape(name)}</code> ${typeLabel(resolve(doc, h).schema)}${resolve(doc, h).required ? '' : ' (optional)'}</li>`)
      .join('');
    return `<tr><td class="status s${escape(status[0])}">${escape(status)}</td><td>${prose(r.description)}${headers ? `<ul class="headers">${headers}</ul>` : ''}${contentBlock(doc, r.content)}</td></tr>`;
  });
  return `<section class="op" id="${anchor('op', op.operationId ?? `${method}${path}`)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code> ${escape(op.summary ?? '')}</h3>
${prose(op.description)}
${auth ? `<p class="auth">Authentication: ${escape(auth)}</p>` : ''}
${paramRows.length ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>meaning</th></tr>${paramRows.join('')}</table>` : ''}
${body ? `<h4>Request body${body.required ? '' : ' (optional)'}</h4>${contentBlock(doc, body.content)}` : ''}
<h4>Responses</h4><table class="responses">${responses.join('')}</table>
</section>`;
}

export function renderDocsPage(doc: Node, issuer: string): string {
  const tags: Node[] = doc.tags ?? [];
  const byTag = new Map<string, string[]>(tags.map((t) => [t.name, []]));
  const nav = new Map<string, string[]>(tags.map((t) => [t.name, []]));
  for (const [path, item] of Object.entries<Node>(doc.paths ?? {})) {
    for (const method of methods) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!byTag.has(tag)) {
        byTag.set(tag, []);
        nav.set(tag, []);
      }
      byTag.get(tag)!.push(operationBlock(doc, path, method, op, item.parameters ?? []));
      nav.get(tag)!.push(`<li><a href="#${anchor('op', op.operationId ?? `${method}${path}`)}"><b>${method.toUpperCase()}</b> ${escape(path)}</a></li>`);
    }
  }
  const description = (name: string) => prose(tags.find((t) => t.name === name)?.description);
  // Tag names are lower-case identifiers (`oauth`); `x-displayName` (Redoc's extension) is the heading people read.
  const title = (name: string) => escape(tags.find((t) => t.name === name)?.['x-displayName'] ?? name);
  const sections = [...byTag].map(([tag, ops]) => `<h2 id="${anchor('tag', tag)}">${title(tag)}</h2>${description(tag)}${ops.join('\n')}`);
  const schemas = Object.entries<Node>(doc.components?.schemas ?? {}).map(
    ([name, s]) => `<section class="schema" id="${anchor('schema', name)}"><h3>${escape(name)}</h3>${schemaBlock(doc, s)}</section>`,
  );
  const navHtml = [...nav].map(([tag, items]) => `<h4>${title(tag)}</h4><ul>${items.join('')}</ul>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(doc.info?.title ?? 'API')} ${escape(doc.info?.version ?? '')}</title>
<style>${css}</style></head>
<body><nav>${navHtml}<h4><a href="#schemas">Schemas</a></h4><p><a href="openapi.yaml">openapi.yaml</a></p></nav>
<main><h1>${escape(doc.info?.title ?? 'API')} <small>${escape(doc.info?.version ?? '')}</small></h1>
<p class="issuer">This instance: <code>${escape(issuer)}</code></p>
${prose(doc.info?.description)}
${sections.join('\n')}
<h2 id="schemas">Schemas</h2>
${schemas.join('\n')}
</main></body></html>
`;
}

const css = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#fafbfc;display:flex}
nav{position:sticky;top:0;height:100vh;overflow:auto;width:290px;flex:none;padding:1rem;border-right:1px solid #e1e4e8;background:#fff;font-size:13px}
nav ul{list-style:none;padding:0;margin:0 0 .5rem}nav a{color:#1d2330;text-decoration:none}nav a:hover{text-decoration:underline}
nav h4{margin:.8rem 0 .3rem;text-transform:uppercase;font-size:11px;color:#6a737d}
main{padding:1.5rem 2rem;max-width:1000px;min-width:0}h1 small{color:#6a737d;font-weight:normal;font-size:60%}
h2{border-bottom:2px solid #e1e4e8;padding-bottom:.3rem;margin-top:2.5rem}
.op,.schema{background:#fff;border:1px solid #e1e4e8;border-radius:6px;padding:.2rem 1rem .8rem;margin:1rem 0}
h3{font-size:16px}h4{margin:.8rem 0 .3rem;font-size:13px;color:#444}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f0f2f4;padding:0 .25rem;border-radius:3px}
.method{display:inline-block;min-width:4.2em;text-align:center;color:#fff;border-radius:3px;padding:0 .3rem;font-size:12px}
.get{background:#2b7bb9}.post{background:#2e8b57}.put{background:#b8860b}.delete{background:#c0392b}.patch{background:#7d3c98}
table{border-collapse:collapse;width:100%;font-size:13px;margin:.3rem 0}td,th{border:1px solid #e1e4e8;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f6f8fa}td p{margin:0 0 .3rem}.req{color:#c0392b;font-size:11px}.note,.auth,.issuer{color:#586069;font-size:13px}
.status{font-weight:bold;width:4em}.s2{color:#2e8b57}.s3{color:#2b7bb9}.s4{color:#b35900}.s5{color:#c0392b}
.ctype{font:12px ui-monospace,monospace;color:#6a737d}.media{margin:.3rem 0}.headers{margin:.2rem 0;padding-left:1.2rem}
.example pre{margin:.2rem 0 .5rem;padding:.5rem;background:#f6f8fa;border:1px solid #e1e4e8;border-radius:4px;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;overflow-wrap:anywhere;max-height:24rem;overflow:auto}
`;
