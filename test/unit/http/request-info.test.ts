import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { resolveClientIp, trustedProxies } from '../../../src/http/request-info.js';

const trusting = (list: string) => trustedProxies(loadConfig({ TRUST_PROXY: list }).trustProxy);

describe('resolveClientIp', () => {
  it('is the peer when the peer is not a trusted proxy, whatever X-Forwarded-For says', () => {
    const trusted = trusting('10.0.0.0/8');
    expect(resolveClientIp('192.0.2.1', '198.51.100.7', trusted)).toBe('192.0.2.1');
    expect(resolveClientIp('192.0.2.1', undefined, trusted)).toBe('192.0.2.1');
    expect(resolveClientIp('10.0.0.1', '198.51.100.7', trustedProxies([]))).toBe('10.0.0.1');
    expect(resolveClientIp(null, '198.51.100.7', trusted)).toBeNull();
  });

  it('walks X-Forwarded-For from the right past trusted proxies to the first address that is not one', () => {
    const trusted = trusting('10.0.0.0/8, 192.0.2.7');
    expect(resolveClientIp('10.0.0.1', '198.51.100.7', trusted)).toBe('198.51.100.7');
    // The client wrote the leftmost entry itself; the proxies appended the rest.
    expect(resolveClientIp('10.0.0.1', '203.0.113.66, 198.51.100.7, 192.0.2.7,10.9.9.9', trusted)).toBe('198.51.100.7');
    expect(resolveClientIp('10.0.0.1', undefined, trusted)).toBe('10.0.0.1');
  });

  it('stops at the last good address when an entry is not an IP address', () => {
    const trusted = trusting('10.0.0.0/8');
    expect(resolveClientIp('10.0.0.1', '198.51.100.7, 10.0.0.2, unknown', trusted)).toBe('10.0.0.1');
    expect(resolveClientIp('10.0.0.1', `${'x'.repeat(5000)}, 10.0.0.2`, trusted)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.1', '', trusted)).toBe('10.0.0.1');
  });

  it('is the leftmost entry when every hop is a trusted proxy', () => {
    expect(resolveClientIp('10.0.0.1', '10.0.0.3, 10.0.0.2', trusting('10.0.0.0/8'))).toBe('10.0.0.3');
  });

  it('handles IPv6 proxies and clients, and IPv4 clients written as IPv4-mapped IPv6', () => {
    const trusted = trusting('fd00::/8, 127.0.0.1');
    expect(resolveClientIp('fd00::1', '2001:db8::5', trusted)).toBe('2001:db8::5');
    expect(resolveClientIp('fd12:3456::9', '::ffff:198.51.100.7', trusted)).toBe('198.51.100.7');
    expect(resolveClientIp('::1', '2001:db8::5', trusted)).toBe('::1');
  });
});
