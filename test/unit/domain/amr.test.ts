import { describe, expect, it } from 'vitest';
import { acrOf, amrOf } from '../../../src/domain/amr.js';
import { secondFactorStep } from '../../../src/domain/sign-in.js';

describe('amrOf and acrOf (RFC 8176)', () => {
  it('adds mfa only when two kinds of factor were used, and names the level', () => {
    expect(amrOf(['pwd'])).toEqual(['pwd']);
    expect(amrOf(['otp', 'pwd', 'otp'])).toEqual(['pwd', 'otp', 'mfa']);
    expect(amrOf(['hwk', 'user'])).toEqual(['hwk', 'user', 'mfa']);
    expect(amrOf(['swk'])).toEqual(['swk']);
    expect(amrOf(['fed', 'otp'])).toEqual(['fed', 'otp', 'mfa']);
    expect(acrOf(amrOf(['pwd', 'otp']))).toBe('urn:tessera:mfa');
    expect(acrOf(['pwd'])).toBe('urn:tessera:pwd');
  });
});

describe('secondFactorStep', () => {
  const facts = { amr: ['pwd'], hasFactor: true, required: false, stepUp: false };
  it('asks a user with a factor after a password, never twice in one sign-in', () => {
    expect(secondFactorStep(facts, ['login'])).toBe('second_factor');
    expect(secondFactorStep(facts, ['login', 'second_factor'])).toBeNull();
    expect(secondFactorStep({ ...facts, hasFactor: false }, ['login'])).toBeNull();
  });
  it('asks what the policy requires, and enrollment when the user has nothing to give', () => {
    expect(secondFactorStep({ ...facts, hasFactor: false, required: true }, ['login'])).toBe('enroll');
    expect(secondFactorStep({ ...facts, amr: ['fed'], required: true }, ['login'])).toBe('second_factor');
    expect(secondFactorStep({ ...facts, amr: ['pwd', 'otp', 'mfa'], required: true }, [])).toBeNull();
  });
  it('steps up even a session that has mfa already (acr_values=urn:tessera:mfa)', () => {
    expect(secondFactorStep({ ...facts, amr: ['pwd', 'otp', 'mfa'], stepUp: true }, ['login'])).toBe('second_factor');
    expect(secondFactorStep({ ...facts, amr: ['hwk', 'user', 'mfa'], stepUp: true }, ['login', 'second_factor'])).toBeNull();
  });
});
