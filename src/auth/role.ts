/** What a principal may do; OFFICIAL and APPROVER act for exactly one host country. */
export enum Role {
  ADMIN = 'ADMIN',
  OFFICIAL = 'OFFICIAL',
  APPROVER = 'APPROVER',
  AUDITOR = 'AUDITOR',
}

export const COUNTRY_BOUND_ROLES: readonly Role[] = [Role.OFFICIAL, Role.APPROVER];

export const isRole = (value: string): value is Role =>
  (Object.values(Role) as string[]).includes(value);
