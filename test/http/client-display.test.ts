import { describe, expect, it } from 'vitest';
import { adminSetup, cli } from '../admin/setup.js';
import { expectMatchesSpec } from '../helpers/openapi.js';

// A client's display name and logo URL, set by the admin API and the CLI, on both stores.

describe('a client’s name and logo URL', () => {
  it('are set by POST /admin/clients, shown by GET, changed and cleared by PATCH', async () => {
    const { admin } = await adminSetup();
    const created = await admin('POST', '/admin/clients', {
      body: { id: 'photos', grants: ['client_credentials'], name: 'Photo Printer – Ünïcode 📷', logo_uri: 'https://photos.example/logo.png' },
    });
    expect(created.status).toBe(201);
    await expectMatchesSpec(created.clone(), { method: 'POST', path: '/admin/clients' });
    expect((await created.json()).client).toMatchObject({ name: 'Photo Printer – Ünïcode 📷', logo_uri: 'https://photos.example/logo.png' });

    const shown = await admin('GET', '/admin/clients/photos');
    await expectMatchesSpec(shown.clone(), { method: 'GET', path: '/admin/clients/{id}' });
    expect((await shown.json()).client).toMatchObject({ name: 'Photo Printer – Ünïcode 📷', logo_uri: 'https://photos.example/logo.png' });

    const renamed = await admin('PATCH', '/admin/clients/photos', { body: { name: 'Prints', logo_uri: null } });
    await expectMatchesSpec(renamed.clone(), { method: 'PATCH', path: '/admin/clients/{id}' });
    expect((await renamed.json()).client).toMatchObject({ name: 'Prints', logo_uri: null });
    const list = await (await admin('GET', '/admin/clients')).json();
    expect(list.clients.find((c: { id: string }) => c.id === 'photos')).toMatchObject({ name: 'Prints', logo_uri: null });
    const cleared = await admin('PATCH', '/admin/clients/photos', { body: { name: null } });
    expect((await cleared.json()).client).toMatchObject({ name: null, logo_uri: null });
  });

  it.each([
    ['a NUL in the name', { name: 'Evil\u0000Corp' }, 'name must not contain control characters'],
    ['a line break in the name', { name: 'Two\nlines' }, 'name must not contain control characters'],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, 'name must be at most 100 characters'],
    ['a blank name', { name: '   ' }, 'name must not be empty'],
    ['a lone surrogate in the name', { name: 'half \ud800 a pair' }, 'name must be well-formed Unicode'],
    ['an http logo', { logo_uri: 'http://photos.example/logo.png' }, 'logo URI must be an https URL'],
    ['a javascript: logo', { logo_uri: 'javascript:alert(1)' }, 'logo URI must be an https URL'],
    ['a relative logo', { logo_uri: 'logo.png' }, 'logo URI must be an https URL'],
    ['a NUL in the logo URI', { logo_uri: 'https://photos.example/\u0000.png' }, 'logo URI must not contain control characters'],
    ['a logo URI over 2000 characters', { logo_uri: `https://photos.example/${'a'.repeat(2000)}` }, 'logo URI must be at most 2000 characters'],
  ])('refuses %s with 400 at creation and at update, and stores nothing', async (_label, fields, description) => {
    const { admin, deps } = await adminSetup();
    const create = await admin('POST', '/admin/clients', { body: { id: 'photos', ...fields } });
    expect(create.status).toBe(400);
    expect(await create.json()).toEqual({ error: 'invalid_request', error_description: description });
    expect(await deps.store.findClient('photos')).toBeNull();
    const before = await deps.store.findClient('web-app');
    const update = await admin('PATCH', '/admin/clients/web-app', { body: fields });
    expect(update.status).toBe(400);
    expect(await update.json()).toEqual({ error: 'invalid_request', error_description: description });
    expect(await deps.store.findClient('web-app')).toEqual(before);
  });

  it('are set by `clients create|update --name --logo-uri` and shown by `clients show` and `clients list`', async () => {
    const { deps } = await adminSetup();
    const created = await cli(deps, ['clients', 'create', 'photos', '--name', 'Photo Printer', '--logo-uri', 'https://photos.example/logo.png', '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).client).toMatchObject({ name: 'Photo Printer', logo_uri: 'https://photos.example/logo.png' });
    const shown = (await cli(deps, ['clients', 'show', 'photos'])).stdout;
    expect(shown).toContain('name           Photo Printer\n');
    expect(shown).toContain('logo URI       https://photos.example/logo.png\n');
    expect((await cli(deps, ['clients', 'list'])).stdout).toMatch(/\nphotos +confidential .* Photo Printer\n/);

    expect(await cli(deps, ['clients', 'update', 'photos', '--name', 'Prints', '--logo-uri', 'none'])).toEqual({
      code: 0,
      stdout: 'updated client photos\n',
      stderr: '',
    });
    expect(await deps.store.findClient('photos')).toMatchObject({ name: 'Prints', logoUri: null });
    const refused = await cli(deps, ['clients', 'update', 'photos', '--logo-uri', 'http://photos.example/logo.png']);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('logo URI must be an https URL') });
  });
});
