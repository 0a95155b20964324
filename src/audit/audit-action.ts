/** What an audit event records; the values of the contract's `AuditAction`. */
export enum AuditAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  SUBMIT = 'SUBMIT',
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
  PUBLISH = 'PUBLISH',
  WITHDRAW = 'WITHDRAW',
  SUPERSEDE = 'SUPERSEDE',
  GRANT = 'GRANT',
  REVOKE = 'REVOKE',
}
