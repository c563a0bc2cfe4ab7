import type { DevClient } from './dev-provider-options.js';

/** The oidc-provider client metadata of a {@link DevClient}. */
export function toClientMetadata(
  client: DevClient,
  defaultSigningAlgorithm: string,
): Record<string, unknown> {
  const method =
    client.tokenEndpointAuthMethod ??
    (client.clientSecret === undefined ? 'private_key_jwt' : 'client_secret_post');
  return {
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }),
    redirect_uris: [...client.redirectUris],
    post_logout_redirect_uris: [...(client.postLogoutRedirectUris ?? [])],
    token_endpoint_auth_method: method,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    id_token_signed_response_alg: client.idTokenSignedResponseAlgorithm ?? defaultSigningAlgorithm,
    ...(client.jwks === undefined ? {} : { jwks: { keys: [...client.jwks.keys] } }),
    ...(client.idTokenEncryption === undefined
      ? {}
      : {
          id_token_encrypted_response_alg: client.idTokenEncryption.algorithm,
          id_token_encrypted_response_enc: client.idTokenEncryption.encryption,
        }),
    ...(client.userinfoSignedResponseAlgorithm === undefined
      ? {}
      : { userinfo_signed_response_alg: client.userinfoSignedResponseAlgorithm }),
    ...(client.userinfoEncryption === undefined
      ? {}
      : {
          userinfo_encrypted_response_alg: client.userinfoEncryption.algorithm,
          userinfo_encrypted_response_enc: client.userinfoEncryption.encryption,
        }),
    ...(client.requireDpop === true ? { dpop_bound_access_tokens: true } : {}),
  };
}
