import { describe, expect, it } from 'vitest';
import {
  fromEidasLevel,
  fromEsignetAcr,
  fromGovukIdentityVector,
  fromGovukVectorOfTrust,
  fromLoginGovAcr,
  fromTaraAcr,
  meetsMinimumAssurance,
} from './level-of-assurance.js';

describe('levels of assurance', () => {
  it('maps eIDAS levels on both axes and ignores other URIs', () => {
    expect(fromEidasLevel('http://eidas.europa.eu/LoA/substantial')).toEqual({
      authentication: 'substantial',
      identity: 'medium',
    });
    expect(fromEidasLevel('http://eidas.europa.eu/LoA/high')).toEqual({
      authentication: 'high',
      identity: 'high',
    });
    expect(fromEidasLevel('http://example.eu/LoA/high')).toBeUndefined();
    expect(fromEidasLevel('http://eidas.europa.eu/LoA/medium')).toBeUndefined();
  });

  it('maps GOV.UK vectors of trust in either component order', () => {
    expect(fromGovukVectorOfTrust('Cl')).toEqual({ authentication: 'low', identity: 'none' });
    expect(fromGovukVectorOfTrust('Cl.Cm')).toEqual({
      authentication: 'substantial',
      identity: 'none',
    });
    expect(fromGovukVectorOfTrust('P2.Cl.Cm')).toEqual({
      authentication: 'substantial',
      identity: 'medium',
    });
    expect(fromGovukVectorOfTrust('Cl.Cm.P3')).toEqual({
      authentication: 'substantial',
      identity: 'high',
    });
    expect(fromGovukVectorOfTrust('Cm')).toBeUndefined();
    expect(fromGovukIdentityVector('P2')).toBe('medium');
    expect(fromGovukIdentityVector('P0')).toBe('none');
    expect(fromGovukIdentityVector('Cl.Cm.P2')).toBeUndefined();
    expect(fromGovukIdentityVector('constructor')).toBeUndefined();
    expect(fromGovukVectorOfTrust('P9.Cl')).toBeUndefined();
    expect(fromGovukVectorOfTrust('P1.P2.Cl')).toBeUndefined();
  });

  it('maps Login.gov, TARA and eSignet values', () => {
    expect(fromLoginGovAcr('urn:acr.login.gov:auth-only')).toEqual({
      authentication: 'substantial',
      identity: 'none',
    });
    expect(fromLoginGovAcr('urn:acr.login.gov:verified')).toEqual({
      authentication: 'substantial',
      identity: 'medium',
    });
    expect(fromLoginGovAcr('http://idmanagement.gov/ns/assurance/aal/3')?.authentication).toBe(
      'high',
    );
    expect(fromLoginGovAcr('urn:acr.example:other')).toBeUndefined();
    expect(fromTaraAcr('low')).toEqual({ authentication: 'low', identity: 'low' });
    expect(fromTaraAcr('medium')).toBeUndefined();
    expect(fromEsignetAcr('mosip:idp:acr:biometrics')).toEqual({
      authentication: 'high',
      identity: 'medium',
    });
    expect(fromEsignetAcr('mosip:idp:acr:static-code')?.authentication).toBe('low');
    expect(fromEsignetAcr('unknown')).toBeUndefined();
  });

  it('requires the minimum on both axes', () => {
    const minimum = { authentication: 'substantial', identity: 'medium' } as const;
    expect(
      meetsMinimumAssurance({ authentication: 'substantial', identity: 'medium' }, minimum),
    ).toBe(true);
    expect(meetsMinimumAssurance({ authentication: 'high', identity: 'high' }, minimum)).toBe(true);
    expect(meetsMinimumAssurance({ authentication: 'low', identity: 'high' }, minimum)).toBe(false);
    expect(meetsMinimumAssurance({ authentication: 'high', identity: 'low' }, minimum)).toBe(false);
  });
});
