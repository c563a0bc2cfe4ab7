// Minimal ambient types for the parts of oidc-provider the dev provider uses.
// oidc-provider ships no types and @types/oidc-provider is not a dependency.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface InteractionDetails {
    readonly uid: string;
    readonly params: Record<string, unknown>;
    readonly prompt: { readonly name: string; readonly details: Record<string, unknown> };
    readonly grantId?: string;
    readonly session?: { readonly accountId?: string };
  }

  export interface GrantInstance {
    readonly accountId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: readonly string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  }

  export interface CheckInstance {
    readonly reason: string;
  }

  export interface PromptInstance {
    readonly name: string;
    readonly checks: CheckInstance[];
  }

  export interface InteractionPolicy {
    add(prompt: PromptInstance, index?: number): void;
    get(name: string): PromptInstance | undefined;
  }

  export const interactionPolicy: {
    base(): InteractionPolicy;
    Prompt: new (options: { name: string; requestable: boolean }) => PromptInstance;
    Check: new (
      reason: string,
      description: string,
      check: (context: unknown) => boolean,
    ) => CheckInstance;
  };

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    readonly Grant: GrantConstructor;
    proxy: boolean;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    interactionDetails(
      request: IncomingMessage,
      response: ServerResponse,
    ): Promise<InteractionDetails>;
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
}
