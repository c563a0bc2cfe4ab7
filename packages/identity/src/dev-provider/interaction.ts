import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { type InteractionDetails, interactionPolicy } from 'oidc-provider';
import { type AssuranceOutcome, decideAssurance } from './assurance-outcome.js';
import type { DevProviderProfile } from './dev-provider-options.js';
import { choosePersonaText } from './pages.js';
import { claimNamesOf, subjectOf } from './persona-claims.js';
import type { DevPersona } from './personas.js';

/**
 * oidc-provider's default prompts, plus a requestable `select_account`
 * (Login.gov sends it), plus a login on every authorization request: the
 * dev provider signs in whoever `login_hint` names, every time, whatever
 * session the browser already has with it.
 */
export function devInteractionPolicy(): ReturnType<typeof interactionPolicy.base> {
  const policy = interactionPolicy.base();
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  policy
    .get('login')
    ?.checks.push(
      new interactionPolicy.Check(
        'dev_provider_login_every_time',
        'the dev provider signs in the persona login_hint names on every request',
        (context) =>
          (context as { oidc: { result?: { login?: unknown } } }).oidc.result?.login === undefined,
      ),
    );
  return policy;
}

/**
 * Handles `/interaction/:uid`: picks the persona (`login_hint`, else
 * `defaultPersona`), grants what was asked with a grant of that persona's
 * own, records what the sign-in achieved and finishes the interaction. An
 * unknown persona gets a 400 listing the personas, and nothing is stored.
 */
export function createInteraction(input: {
  readonly provider: Provider;
  readonly profile: DevProviderProfile;
  readonly personas: ReadonlyMap<string, DevPersona>;
  readonly defaultPersona: string | undefined;
  readonly outcomes: Map<string, AssuranceOutcome>;
}): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { provider, profile, personas } = input;
  return async (request, response) => {
    const details: InteractionDetails = await provider.interactionDetails(request, response);
    const parameters = details.params;
    const hint =
      (typeof parameters.login_hint === 'string' ? parameters.login_hint : undefined) ??
      input.defaultPersona;
    const persona = hint === undefined ? undefined : personas.get(hint);
    if (persona === undefined) {
      response.statusCode = 400;
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      response.end(choosePersonaText([...personas.keys()]));
      return;
    }
    const accountId = subjectOf(profile, persona.id);
    const clientId = String(parameters.client_id);
    const existing =
      details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId);
    // a grant of the persona signed in before in this browser is not this persona's
    const grant =
      existing !== undefined && existing.accountId === accountId
        ? existing
        : new provider.Grant({ accountId, clientId });
    if (typeof parameters.scope === 'string') grant.addOIDCScope(parameters.scope);
    const requestedClaims = claimNamesOf(parameters.claims);
    if (requestedClaims.length > 0) grant.addOIDCClaims(requestedClaims);
    const promptDetails = details.prompt.details;
    if (Array.isArray(promptDetails.missingOIDCScope))
      grant.addOIDCScope(promptDetails.missingOIDCScope.join(' '));
    if (Array.isArray(promptDetails.missingOIDCClaims))
      grant.addOIDCClaims(promptDetails.missingOIDCClaims);
    const missingResourceScopes = promptDetails.missingResourceScopes;
    if (typeof missingResourceScopes === 'object' && missingResourceScopes !== null) {
      for (const [resource, scopes] of Object.entries(missingResourceScopes)) {
        if (Array.isArray(scopes)) grant.addResourceScope(resource, scopes.join(' '));
      }
    }
    const grantId = await grant.save();
    const outcome = decideAssurance(profile, persona, parameters);
    input.outcomes.set(grantId, outcome);
    const login = {
      accountId,
      remember: false,
      ...(outcome.acr === undefined ? {} : { acr: outcome.acr }),
      ...(outcome.amr === undefined ? {} : { amr: outcome.amr }),
    };
    await provider.interactionFinished(
      request,
      response,
      { [details.prompt.name]: {}, login, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  };
}
