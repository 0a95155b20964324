import { AuthenticatedPrincipal } from '../auth/principal';
import { Role } from '../auth/role';
import { ListStatus } from './list-types';
import { PositiveListVersionEntity } from './positive-list-version.entity';

/** Ids are UUIDs; anything else names no record (and is not sent to the database). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who may see drafts of a country: its officials and approvers, auditors, administrators. */
export function maySeeDrafts(principal: AuthenticatedPrincipal | null, country: string): boolean {
  if (!principal) return false;
  if (principal.role === Role.ADMIN || principal.role === Role.AUDITOR) return true;
  return principal.hostCountry === country;
}

/** Published and withdrawn versions are public; drafts and submissions are not. */
export function isPublic(version: PositiveListVersionEntity): boolean {
  return ([ListStatus.PUBLISHED, ListStatus.WITHDRAWN] as string[]).includes(version.status);
}

/** The versions of a country's list a caller may see (HostCountry.listVersions, the workspace). */
export function visibleVersions(
  versions: PositiveListVersionEntity[],
  principal: AuthenticatedPrincipal | null,
  country: string,
): PositiveListVersionEntity[] {
  return versions.filter((v) => isPublic(v) || maySeeDrafts(principal, country));
}
