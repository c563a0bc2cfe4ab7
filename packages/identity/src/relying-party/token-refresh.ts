import * as client from 'openid-client';
import { identityErrorFromProtocol } from './protocol-errors.js';
import type { ProviderConnection } from './provider-connection.js';
import type { RefreshOptions, RefreshResult } from './relying-party-options.js';

/**
 * Refreshes tokens (RFC 6749 section 6); a new ID token (an encrypted one:
 * the JWS inside) is verified like the first. DPoP-bound tokens need the
 * sign-in's DPoP key.
 */
export function createTokenRefresh(
  connection: ProviderConnection,
): (refreshToken: string, refreshOptions?: RefreshOptions) => Promise<RefreshResult> {
  return async (refreshToken, refreshOptions = {}) => {
    const metadata = await connection.metadata();
    const configuration = await connection.configurationFor(metadata, connection.now());
    let tokens: Awaited<ReturnType<typeof client.refreshTokenGrant>>;
    try {
      const dpopHandle =
        refreshOptions.dpopKey === undefined
          ? undefined
          : await connection.dpopHandleFor(configuration, refreshOptions.dpopKey);
      tokens = await client.refreshTokenGrant(
        configuration,
        refreshToken,
        undefined,
        dpopHandle === undefined ? undefined : { DPoP: dpopHandle },
      );
    } catch (cause) {
      throw identityErrorFromProtocol(cause, 'token');
    }
    let idTokenClaims: Record<string, unknown> | undefined;
    if (typeof tokens.id_token === 'string') {
      const inner = client.getDecryptedResponses(tokens) ?? tokens.id_token;
      idTokenClaims = await connection.verifierFor(metadata).verify(inner);
    }
    return {
      accessToken: tokens.access_token,
      ...(tokens.refresh_token === undefined ? {} : { refreshToken: tokens.refresh_token }),
      ...(tokens.expires_in === undefined ? {} : { expiresInSeconds: tokens.expires_in }),
      ...(idTokenClaims === undefined ? {} : { idTokenClaims }),
    };
  };
}
