import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import { tempDir } from '../helpers/deps.js';
import { startService } from '../helpers/process.js';

// There is no Docker engine in CI: these tests read compose.yaml, resolve it the way `docker compose`
// interpolates variables, hold the result to Tessera's own configuration, and run its health check.

const root = fileURLToPath(new URL('../..', import.meta.url));
type Service = {
  image?: string;
  build?: string;
  environment: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck: { test: string[] };
  ports?: string[];
};
const compose = parse(readFileSync(join(root, 'compose.yaml'), 'utf8')) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { tessera, postgres } = compose.services as { tessera: Service; postgres: Service };

/** Compose's interpolation: ${VAR}, ${VAR:-default}, and ${VAR:?error}, which refuses to start without VAR. */
function interpolate(value: string, env: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_, name: string, kind?: string, arg?: string) => {
    if (env[name]) return env[name]!;
    if (kind === '?') throw new Error(`compose refuses to start: ${arg}`);
    return kind === '-' ? arg! : '';
  });
}
const resolved = (service: Service, env: Record<string, string>) =>
  Object.fromEntries(Object.entries(service.environment).map(([k, v]) => [k, interpolate(String(v), env)]));

describe('compose.yaml', () => {
  it('runs the image built from this Dockerfile on a PostgreSQL service, once that one is healthy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'tessera']);
    expect(tessera.build).toBe('.');
    expect(tessera.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(tessera.ports).toEqual(['3000:3000']);
    expect(postgres.image).toMatch(/^postgres:\d+/);
  });

  it('takes KEY_ENCRYPTION_KEY and the database password from the environment, and will not start without them', () => {
    expect(tessera.environment.KEY_ENCRYPTION_KEY).toMatch(/^\$\{KEY_ENCRYPTION_KEY:\?[^}]+\}$/);
    expect(postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?[^}]+\}$/);
    expect(() => resolved(tessera, { POSTGRES_PASSWORD: 'x' })).toThrow(/KEY_ENCRYPTION_KEY/);
    expect(() => resolved(postgres, {})).toThrow(/POSTGRES_PASSWORD/);
  });

  it("resolves to a configuration Tessera accepts in production, pointing at the postgres service's database and user", () => {
    const password = randomBytes(24).toString('hex');
    const env = { KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'), POSTGRES_PASSWORD: password };
    const db = resolved(postgres, env);
    // NODE_ENV=production and PORT=3000 come from the image (test/e2e/docker.test.ts checks them).
    const config = loadConfig({ NODE_ENV: 'production', PORT: '3000', ...resolved(tessera, env) });
    expect(config.database.kind).toBe('postgres');
    const url = new URL((config.database as { url: string }).url);
    expect([url.hostname, url.port, url.username, url.password, url.pathname]).toEqual(['postgres', '5432', db.POSTGRES_USER, password, `/${db.POSTGRES_DB}`]);
    expect(config.issuer).toBe('http://localhost:3000');
    expect(postgres.healthcheck.test).toEqual(['CMD', 'pg_isready', `--username=${db.POSTGRES_USER}`, `--dbname=${db.POSTGRES_DB}`]);
  });

  it('keeps the database on a named volume, where the PostgreSQL image keeps its data', () => {
    expect(postgres.volumes).toEqual(['postgres-data:/var/lib/postgresql']);
    expect(Object.keys(compose.volumes)).toEqual(['postgres-data']);
  });

  it('reports Tessera healthy once it is ready, and unhealthy once it is gone', async () => {
    const [cmd, node, flag, script] = tessera.healthcheck.test;
    expect([cmd, node, flag]).toEqual(['CMD', 'node', '-e']);
    const check = (port: number) =>
      promisify(execFile)(process.execPath, ['-e', script!], { env: { PORT: String(port) } }).then(
        () => 0,
        (error: { code: number }) => error.code,
      );
    const service = await startService({ DATABASE_URL: `file:${join(tempDir(), 'tessera.db')}` });
    expect(await check(service.port)).toBe(0);
    expect(await service.stop()).toBe(0);
    expect(await check(service.port)).toBe(1);
  });
});
