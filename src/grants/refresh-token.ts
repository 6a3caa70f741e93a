import { InvalidRequest } from '../errors/oauth.js';
import { rotate } from '../services/refresh.js';
import type { Grant } from './types.js';

/** RFC 6749 §6 with rotation (README, "Refresh tokens, for client authors"). */
export const refreshToken: Grant = {
  grantType: 'refresh_token',
  async handler({ deps, client, params, actor }) {
    const presented = params.get('refresh_token');
    if (!presented) throw new InvalidRequest('refresh_token is required');
    const { response } = await rotate(deps, actor, { presented, client, scope: params.get('scope') });
    return response;
  },
};
