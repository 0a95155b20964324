import { Inject, Injectable } from '@nestjs/common';
import * as client from 'openid-client';
import { AppConfig, OidcSignInConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JsonLogger } from '../logging/json-logger';

/**
 * What a browser must bring back to finish one sign-in: the state and nonce it was sent off
 * with, the PKCE code verifier, and where the person was going. Kept in a cookie of that
 * browser only (see session-cookie.ts), so a code stolen on its way back is useless elsewhere.
 */
export interface OidcFlow {
  state: string;
  nonce: string;
  verifier: string;
  next: string | undefined;
}

/** How a callback ended. */
export type OidcOutcome =
  /** The ID token checked out (signature, iss, aud, exp, nonce): its subject. */
  | { kind: 'subject'; subject: string }
  /** The provider said no (`error=access_denied`, ...): its error code, for the person. */
  | { kind: 'providerRefused'; error: string }
  /** State, PKCE, code or ID token did not check out: start again. */
  | { kind: 'failed' }
  /** The provider could not be reached (discovery or token endpoint): try later. */
  | { kind: 'unavailable' };

/** An OAuth error code as the person may see it: the registered codes are short snake_case. */
const ERROR_CODE = /^[a-z_]{1,64}$/;

/**
 * The workspace as an OpenID Connect relying party (openid-client): authorisation code flow
 * with PKCE (S256), state and nonce. The provider's metadata is discovered on first use, not
 * at start-up, so that a provider down at boot does not keep the service (and API-key
 * sign-in) from starting; a failed discovery is retried on the next attempt.
 */
@Injectable()
export class OidcSignIn {
  readonly settings: OidcSignInConfig | undefined;
  private configuration?: Promise<client.Configuration>;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly logger: JsonLogger,
  ) {
    this.settings = config.console.oidcSignIn;
  }

  /** The provider's authorisation URL for a new flow, and the flow to keep; or unavailable. */
  async start(
    next: string | undefined,
  ): Promise<{ location: string; flow: OidcFlow } | 'unavailable'> {
    const settings = this.required();
    let configuration: client.Configuration;
    try {
      configuration = await this.discover(settings);
    } catch (error) {
      this.logFailure('discovery', error);
      return 'unavailable';
    }
    const flow: OidcFlow = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      verifier: client.randomPKCECodeVerifier(),
      next,
    };
    const location = client.buildAuthorizationUrl(configuration, {
      redirect_uri: settings.redirectUri,
      scope: 'openid',
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { location: location.href, flow };
  }

  /**
   * Checks the provider's answer (`query`: the callback's query string) against the flow this
   * browser started, redeems the code with the verifier, and validates the ID token.
   */
  async finish(query: string, flow: OidcFlow): Promise<OidcOutcome> {
    const settings = this.required();
    try {
      const configuration = await this.discover(settings);
      // The redirect URI as registered, whatever Host the request came with: openid-client
      // sends it, without the query, to the token endpoint, where it must match exactly.
      const current = new URL(settings.redirectUri);
      current.search = query;
      const tokens = await client.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const subject = tokens.claims()?.sub;
      if (typeof subject !== 'string') return { kind: 'failed' };
      return { kind: 'subject', subject };
    } catch (error) {
      if (error instanceof client.AuthorizationResponseError) {
        return { kind: 'providerRefused', error: ERROR_CODE.test(error.error) ? error.error : '' };
      }
      if (isUnreachable(error)) {
        this.logFailure('redeem', error);
        return { kind: 'unavailable' };
      }
      this.logFailure('callback', error);
      return { kind: 'failed' };
    }
  }

  private required(): OidcSignInConfig {
    if (!this.settings) throw new Error('OpenID Connect sign-in is not configured');
    return this.settings;
  }

  private discover(settings: OidcSignInConfig): Promise<client.Configuration> {
    if (!this.configuration) {
      this.configuration = client
        .discovery(
          new URL(settings.issuer),
          settings.clientId,
          undefined,
          settings.clientSecret === undefined
            ? client.None()
            : client.ClientSecretBasic(settings.clientSecret),
          settings.allowHttp
            ? { execute: [client.allowInsecureRequests], timeout: 10 }
            : { timeout: 10 },
        )
        .catch((error: unknown) => {
          this.configuration = undefined;
          throw error;
        });
    }
    return this.configuration;
  }

  /**
   * One log line per failure, with the library's error name and code only: its errors carry
   * the callback's parameters and the provider's responses, which hold codes and tokens.
   */
  private logFailure(stage: string, error: unknown): void {
    const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
    this.logger.emit('warn', 'workspace OpenID Connect sign-in failed', {
      stage,
      error: typeof name === 'string' ? name : 'unknown',
      code: typeof code === 'string' ? code : null,
      oauthError:
        error instanceof client.ResponseBodyError && ERROR_CODE.test(error.error)
          ? error.error
          : null,
    });
  }
}

/** A network failure, a time-out or a 5xx from the provider: not the person's doing. */
function isUnreachable(error: unknown): boolean {
  if (error instanceof TypeError && error.message === 'fetch failed') return true;
  if (error instanceof client.ResponseBodyError) return error.status >= 500;
  if (error instanceof client.ClientError)
    return error.code === 'OAUTH_TIMEOUT' || error.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM';
  return false;
}
