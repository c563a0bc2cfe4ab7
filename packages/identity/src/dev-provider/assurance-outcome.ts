import {
  type AssuranceLevel,
  fromEsignetAcr,
  fromGovukVectorOfTrust,
  fromLoginGovAcr,
  meetsMinimumAssurance,
} from '../assurance/level-of-assurance.js';
import type { DevProviderProfile } from './dev-provider-options.js';
import type { DevPersona } from './personas.js';

/** The `acr` values a dev provider imitating a profile advertises. */
export function acrValuesOf(profile: DevProviderProfile): string[] {
  switch (profile) {
    case 'generic':
      return [
        'http://eidas.europa.eu/LoA/low',
        'http://eidas.europa.eu/LoA/substantial',
        'http://eidas.europa.eu/LoA/high',
      ];
    case 'login-gov':
      return [
        'urn:acr.login.gov:auth-only',
        'urn:acr.login.gov:verified',
        'urn:acr.login.gov:verified-facial-match-required',
      ];
    case 'singpass':
      return [];
    case 'esignet':
      return Object.keys(esignetMethods);
    case 'tara':
      return ['low', 'substantial', 'high'];
    case 'govuk-one-login':
      return [];
  }
}

const esignetMethods: Readonly<Record<string, true>> = {
  'mosip:idp:acr:static-code': true,
  'mosip:idp:acr:generated-code': true,
  'mosip:idp:acr:linked-wallet': true,
  'mosip:idp:acr:biometrics': true,
};

/** What a dev sign-in achieved, in the imitated provider's terms. */
export interface AssuranceOutcome {
  readonly acr?: string;
  readonly amr?: string[];
  /** GOV.UK One Login: the credential trust achieved (`Cl`, `Cl.Cm`), the ID token's `vot`. */
  readonly credentialTrust?: string;
  /** GOV.UK One Login: the identity level proven (`P1`..`P3`), the core identity's `vot`. */
  readonly identityVector?: string;
}

/** The eIDAS level name a persona reaches. */
function eidasName(level: AssuranceLevel): 'low' | 'substantial' | 'high' {
  if (level.authentication === 'high' && level.identity === 'high') return 'high';
  if (
    level.authentication !== 'low' &&
    (level.identity === 'medium' || level.identity === 'high')
  ) {
    return 'substantial';
  }
  return 'low';
}

function requestedAcrValues(parameters: Record<string, unknown>): string[] {
  return typeof parameters.acr_values === 'string'
    ? parameters.acr_values.split(' ').filter(Boolean)
    : [];
}

/** What a persona achieves for an authorization request, per imitated provider. */
export function decideAssurance(
  profile: DevProviderProfile,
  persona: DevPersona,
  parameters: Record<string, unknown>,
): AssuranceOutcome {
  const amr = [...persona.authenticationMethods];
  switch (profile) {
    case 'generic':
      return { acr: `http://eidas.europa.eu/LoA/${eidasName(persona.assurance)}`, amr };
    case 'tara': {
      const taraMethod =
        persona.assurance.authentication === 'high'
          ? 'idcard'
          : persona.assurance.authentication === 'substantial'
            ? 'mID'
            : 'eidas';
      return { acr: eidasName(persona.assurance), amr: [taraMethod] };
    }
    case 'singpass':
      // FAPI 2.0 ID tokens carry `amr` only
      return { amr };
    case 'login-gov': {
      const chosen = requestedAcrValues(parameters).find((value) => {
        const level = fromLoginGovAcr(value);
        return level !== undefined && meetsMinimumAssurance(persona.assurance, level);
      });
      return { acr: chosen ?? 'urn:acr.login.gov:auth-only', amr };
    }
    case 'esignet': {
      const chosen = requestedAcrValues(parameters).find((value) => {
        const level = fromEsignetAcr(value);
        return level !== undefined && meetsMinimumAssurance(persona.assurance, level);
      });
      return { acr: chosen ?? 'mosip:idp:acr:static-code', amr };
    }
    case 'govuk-one-login': {
      let requested: unknown = ['Cl.Cm'];
      if (typeof parameters.vtr === 'string') {
        try {
          requested = JSON.parse(parameters.vtr);
        } catch {
          requested = [];
        }
      }
      const vectors = Array.isArray(requested)
        ? requested.filter((value): value is string => typeof value === 'string')
        : [];
      const chosen = vectors.find((vector) => {
        const level = fromGovukVectorOfTrust(vector);
        return level !== undefined && meetsMinimumAssurance(persona.assurance, level);
      });
      const components = (chosen ?? '').split('.').filter(Boolean);
      const identityVector = components.find((component) => component.startsWith('P'));
      // the ID token's vot is the credential trust only (Cl or Cl.Cm), whatever was requested
      const credentialTrust =
        chosen === undefined
          ? persona.assurance.authentication === 'low'
            ? 'Cl'
            : 'Cl.Cm'
          : components
              .filter((component) => component.startsWith('C'))
              .sort()
              .join('.');
      return {
        credentialTrust,
        ...(identityVector === undefined || identityVector === 'P0' ? {} : { identityVector }),
      };
    }
  }
}
