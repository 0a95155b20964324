import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { escapeIdentifier, escapeLiteral } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { MIGRATION_LOCK } from './startup-tasks';

export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/**
 * What the running service does to each table of the schema, and so everything its database
 * role may do there: the service's role owns nothing, so it cannot drop, alter or disable the
 * triggers of anything (only an owner can), and it gets no privilege the code does not use.
 *
 * - The audit tables are append-only: the service reads them and inserts into them (events
 *   in the business transaction, checkpoints and tree nodes with ON CONFLICT DO NOTHING, which
 *   needs no UPDATE), nothing else. Their triggers refuse UPDATE, DELETE and TRUNCATE anyway;
 *   without the privileges the role cannot even try.
 * - Rows locked with SELECT ... FOR UPDATE need UPDATE: host_country (the per-country lock of
 *   list changes), principal, ndc_sector, positive_list_version and activity_entry are updated
 *   too.
 * - Only draft entries are deleted (removeEntry, and an entry's sector links when it is
 *   edited); versions, principals, countries and sectors never are.
 * - console_session: workspace sessions are created, touched and revoked (UPDATE); sessions
 *   past their absolute expiry are deleted when someone signs in.
 * - Webhook endpoints are deleted with their deliveries and attempts (ON DELETE CASCADE
 *   needs DELETE on the referencing tables); deliveries are updated as they are sent.
 * - schema_migrations is read at start-up to refuse a schema older than the code.
 *
 * Every table must be listed: granting refuses a schema with a table this map does not
 * know, so a migration that adds one must say here what the service does to it.
 */
export const APP_ROLE_PRIVILEGES: Readonly<Record<string, readonly TablePrivilege[]>> = {
  schema_migrations: ['SELECT'],
  ipcc_category: ['SELECT'],
  host_country: ['SELECT', 'INSERT', 'UPDATE'],
  ndc_sector: ['SELECT', 'INSERT', 'UPDATE'],
  principal: ['SELECT', 'INSERT', 'UPDATE'],
  positive_list_version: ['SELECT', 'INSERT', 'UPDATE'],
  activity_entry: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  activity_entry_sector: ['SELECT', 'INSERT', 'DELETE'],
  audit_event: ['SELECT', 'INSERT'],
  audit_checkpoint: ['SELECT', 'INSERT'],
  audit_tree_node: ['SELECT', 'INSERT'],
  console_session: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  webhook_endpoint: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  webhook_delivery: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'],
  webhook_attempt: ['SELECT', 'INSERT', 'DELETE'],
};

/** The deployment cannot give the service a role that owns nothing; the message says why. */
export class AppRoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppRoleError';
  }
}

/** What `grantAppRole` did, for the operator. */
export interface AppRoleGrants {
  role: string;
  created: boolean;
  passwordSet: boolean;
  schema: string;
  tables: Record<string, readonly TablePrivilege[]>;
  sequences: string[];
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5803, as `CREATE ROLE ...
 * PASSWORD` accepts it), so the password itself never reaches the server, where a statement
 * log or pg_stat_activity could show it. Printable ASCII only: PostgreSQL would SASLprep other
 * passwords, and node-postgres, which logs in with it, does not.
 */
export function scramSha256Verifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = 4096,
): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const storedKey = createHash('sha256')
    .update(createHmac('sha256', salted).update('Client Key').digest())
    .digest('base64');
  const serverKey = createHmac('sha256', salted).update('Server Key').digest('base64');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey}:${serverKey}`;
}

/** Why `password` cannot be the role's password, or undefined when it can. */
export function appRolePasswordProblem(password: string): string | undefined {
  if (password.length < 16) return 'must be at least 16 characters long';
  if (!/^[\x21-\x7e]+$/.test(password))
    return 'must be printable ASCII without spaces (as `openssl rand -hex 24` makes)';
  return undefined;
}

/**
 * Gives `role` exactly {@link APP_ROLE_PRIVILEGES} on the current schema, creating it (LOGIN,
 * nothing else) if it does not exist and setting its password when one is given. Run by the
 * owner of the tables after every migration: grants name tables, so a table a migration adds
 * is granted only by running this again (ALTER DEFAULT PRIVILEGES would not do: it follows
 * whoever creates a table, not what the service does to it). Idempotent: whatever the role
 * held before on these tables and sequences is revoked first, in the same transaction, so the
 * running service never sees a half-granted schema.
 *
 * Refuses a role that could do more than the service needs whatever was granted here: a
 * superuser, a role that may create roles or databases, replicate or bypass row security, a
 * role that owns anything in the database or is a member of a role that owns the tables, and
 * a schema on which the role could create tables.
 */
export async function grantAppRole(
  dataSource: DataSource,
  role: string,
  password?: string,
): Promise<AppRoleGrants> {
  if (!ROLE_NAME.test(role))
    throw new AppRoleError(
      `"${role}" is not a usable role name: lower-case letters, digits and _, up to 63`,
    );
  const passwordProblem = password === undefined ? undefined : appRolePasswordProblem(password);
  if (passwordProblem) throw new AppRoleError(`The app role's password ${passwordProblem}`);
  return dataSource.transaction(async (manager) => {
    // Not while another instance migrates (it holds this lock for the session), nor while
    // another owner step grants: concurrent GRANTs on one table can fail.
    await manager.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const [{ me, schema }] = await manager.query<{ me: string; schema: string }[]>(
      'SELECT current_user AS me, current_schema() AS schema',
    );
    if (me === role)
      throw new AppRoleError(
        `${role} is the role running this command, which owns the tables: the service needs a role of its own`,
      );
    await assertTablesKnown(manager, schema);
    const ident = escapeIdentifier(role);
    const verifier =
      password === undefined ? '' : ` PASSWORD ${escapeLiteral(scramSha256Verifier(password))}`;
    const existing = await manager.query<{ oid: number }[]>(
      'SELECT oid FROM pg_roles WHERE rolname = $1',
      [role],
    );
    const created = existing.length === 0;
    if (created) {
      await manager.query(
        `CREATE ROLE ${ident} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS${verifier}`,
      );
    } else {
      await assertHarmless(manager, role, schema);
      if (verifier) await manager.query(`ALTER ROLE ${ident}${verifier}`);
    }
    const schemaIdent = escapeIdentifier(schema);
    await manager.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${schemaIdent} FROM ${ident}`);
    await manager.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schemaIdent} FROM ${ident}`);
    await manager.query(`GRANT USAGE ON SCHEMA ${schemaIdent} TO ${ident}`);
    for (const [table, privileges] of Object.entries(APP_ROLE_PRIVILEGES)) {
      await manager.query(
        `GRANT ${privileges.join(', ')} ON TABLE ${schemaIdent}.${escapeIdentifier(table)} TO ${ident}`,
      );
    }
    // Sequences behind columns of tables the service inserts into (none today: keys are
    // generated by the service), so that a serial column added later keeps working.
    const inserted = Object.entries(APP_ROLE_PRIVILEGES)
      .filter(([, privileges]) => privileges.includes('INSERT'))
      .map(([table]) => table);
    const sequences = await manager.query<{ name: string }[]>(
      `SELECT DISTINCT s.relname AS name FROM pg_class s
         JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
         JOIN pg_class t ON t.oid = d.refobjid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE s.relkind = 'S' AND n.nspname = $1 AND t.relname = ANY($2::text[])`,
      [schema, inserted],
    );
    for (const { name } of sequences) {
      await manager.query(
        `GRANT USAGE, SELECT ON SEQUENCE ${schemaIdent}.${escapeIdentifier(name)} TO ${ident}`,
      );
    }
    const [{ creates }] = await manager.query<{ creates: boolean }[]>(
      'SELECT has_schema_privilege($1, $2, $3) AS creates',
      [role, schema, 'CREATE'],
    );
    if (creates)
      throw new AppRoleError(
        `${role} could create tables in schema ${schema} (PUBLIC may, as before PostgreSQL 15): ` +
          `run REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC as its owner, then grant again`,
      );
    return {
      role,
      created,
      passwordSet: password !== undefined,
      schema,
      tables: { ...APP_ROLE_PRIVILEGES },
      sequences: sequences.map((s) => s.name),
    };
  });
}

/** Every table of the schema is in the map, and every table of the map in the schema. */
async function assertTablesKnown(manager: EntityManager, schema: string): Promise<void> {
  const rows = await manager.query<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`,
    [schema],
  );
  const present = new Set(rows.map((r) => r.name));
  const unknown = [...present].filter((t) => !(t in APP_ROLE_PRIVILEGES)).sort();
  if (unknown.length > 0)
    throw new AppRoleError(
      `Schema ${schema} has tables APP_ROLE_PRIVILEGES does not list (${unknown.join(', ')}): ` +
        'say in src/database/app-role.ts what the service does to them',
    );
  const missing = Object.keys(APP_ROLE_PRIVILEGES).filter((t) => !present.has(t));
  if (missing.length > 0)
    throw new AppRoleError(
      `Schema ${schema} lacks ${missing.join(', ')}: apply the migrations first (migrate-and-grant)`,
    );
}

/** An existing role may only be given the service's privileges if it can do no more. */
async function assertHarmless(manager: EntityManager, role: string, schema: string): Promise<void> {
  const [r] = await manager.query<
    {
      super: boolean;
      createrole: boolean;
      createdb: boolean;
      replication: boolean;
      bypassrls: boolean;
      owns: number;
      owner_member: string | null;
    }[]
  >(
    `SELECT r.rolsuper AS super, r.rolcreaterole AS createrole, r.rolcreatedb AS createdb,
            r.rolreplication AS replication, r.rolbypassrls AS bypassrls,
            (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid)
              + (SELECT count(*)::int FROM pg_namespace n WHERE n.nspowner = r.oid)
              + (SELECT count(*)::int FROM pg_proc p WHERE p.proowner = r.oid)
              + (SELECT count(*)::int FROM pg_database d
                  WHERE d.datdba = r.oid AND d.datname = current_database()) AS owns,
            (SELECT min(o.rolname) FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               JOIN pg_roles o ON o.oid = c.relowner
              WHERE n.nspname = $2 AND pg_has_role(r.oid, o.oid, 'MEMBER')) AS owner_member
       FROM pg_roles r WHERE r.rolname = $1`,
    [role, schema],
  );
  const powers = (
    [
      ['SUPERUSER', r.super],
      ['CREATEROLE', r.createrole],
      ['CREATEDB', r.createdb],
      ['REPLICATION', r.replication],
      ['BYPASSRLS', r.bypassrls],
    ] as const
  )
    .filter(([, has]) => has)
    .map(([name]) => name);
  if (powers.length > 0)
    throw new AppRoleError(
      `${role} exists with ${powers.join(', ')}: the service's role must have none of these; use another role name`,
    );
  if (r.owns > 0)
    throw new AppRoleError(
      `${role} owns ${r.owns} object(s) in this database: the service's role must own nothing ` +
        '(REASSIGN OWNED BY it TO the owner, or use another role name)',
    );
  if (r.owner_member)
    throw new AppRoleError(
      `${role} is a member of ${r.owner_member}, which owns the tables: it would have the owner's rights`,
    );
}
