import { describe, expect, it } from 'vitest';
import { registeredClientApis } from '../../../src/domain/apis.js';

describe('registeredClientApis', () => {
  const code = ['authorization_code', 'refresh_token'];

  it('lists every open API, with the only one as the default and none when there are several or none', () => {
    expect(registeredClientApis([], code)).toEqual({ apis: [], defaultApi: null });
    expect(registeredClientApis([{ id: 'mcp' }], code)).toEqual({ apis: ['mcp'], defaultApi: 'mcp' });
    expect(registeredClientApis([{ id: 'mcp' }, { id: 'notes' }], code)).toEqual({ apis: ['mcp', 'notes'], defaultApi: null });
  });

  it('gives a client registering for client_credentials no API, whatever else it registers for', () => {
    expect(registeredClientApis([{ id: 'mcp' }], ['client_credentials'])).toEqual({ apis: [], defaultApi: null });
    expect(registeredClientApis([{ id: 'mcp' }], [...code, 'client_credentials'])).toEqual({ apis: [], defaultApi: null });
  });
});
