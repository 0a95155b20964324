import { AuthenticatedPrincipal } from './principal';

/**
 * Turns an `Authorization` header into the stored principal (null without one). Declared
 * here, where the guard and the edge need it; the principals feature implements it.
 */
export abstract class CallerAuthenticator {
  abstract authenticate(authorization: string | undefined): Promise<AuthenticatedPrincipal | null>;
}
