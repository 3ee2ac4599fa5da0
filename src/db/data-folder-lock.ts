import { readFileSync, rmSync } from 'node:fs';
import { readFile, realpath, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { StartupRefusal } from '../startup-refusal.ts';

/**
 * One process at a time opens an embedded (PGlite) data folder: two would each keep their own copy
 * of the database in memory and overwrite each other's files, so their data splits.
 *
 * The lock is a directory, `civic-graph.lock`, inside the data folder, made by proper-lockfile:
 * mkdir is atomic, and the holder refreshes the directory's mtime every HEARTBEAT_MS, so a lock not
 * refreshed for STALE_MS is stale whatever became of its holder (killed, the machine restarted, a
 * process in another container sharing the folder). A pid check alone would block for good when
 * the pid is reused (after a reboot; pid 1 in every container) and cannot see into another pid
 * namespace; the mtime alone would refuse a restart right after `kill -9` for STALE_MS. So both:
 * a lock is held while its mtime is fresh, unless its holder, on this host, is known to be gone,
 * and then it is taken over at once.
 */
export const LOCK_NAME = 'civic-graph.lock';
export const STALE_MS = 20_000;
const HEARTBEAT_MS = 5_000;
const HOLDER_FILE = 'holder.json';

/** Who holds a data folder: written into the lock when it is taken, named to the process refused. */
export interface DataFolderHolder {
  pid: number;
  hostname: string;
  /** When the holding process started (ISO 8601). */
  startedAt: string;
}

export class DataFolderInUseError extends StartupRefusal {
  override name = 'DataFolderInUseError';
  constructor(
    readonly folder: string,
    readonly holder: DataFolderHolder | null,
  ) {
    const who = holder
      ? `process ${holder.pid}${holder.hostname === hostname() ? '' : ` on host ${holder.hostname}`} (started ${holder.startedAt})`
      : 'another process (starting up)';
    super(`the data folder ${folder} is in use by ${who}; stop that process, or set DATA_DIR to another folder`);
  }
}

export interface DataFolderLock {
  /** Gives the folder up: the next process may open it at once. */
  release(): Promise<void>;
}

export interface DataFolderLockOptions {
  /**
   * Called when the lock was lost while held (its heartbeat was late past STALE_MS and another
   * process took the folder): the database must not be written any more. Default: throw.
   */
  onLost?: (error: Error) => void;
}

/** Folders this process holds: a second open here is refused too (its pid would look like ours). */
const heldHere = new Set<string>();
const thisProcess = (): DataFolderHolder => ({ pid: process.pid, hostname: hostname(), startedAt: new Date(performance.timeOrigin).toISOString() });

/** Takes the folder's lock, or throws DataFolderInUseError naming the process that holds it. */
export async function lockDataFolder(folder: string, options: DataFolderLockOptions = {}): Promise<DataFolderLock> {
  const dir = await realpath(folder);
  const lockDir = join(dir, LOCK_NAME);
  const holderFile = join(lockDir, HOLDER_FILE);
  if (heldHere.has(dir)) throw new DataFolderInUseError(folder, thisProcess());

  let unlock: () => Promise<void>;
  for (let attempt = 0; ; attempt++) {
    try {
      unlock = await lockfile.lock(dir, {
        lockfilePath: lockDir,
        realpath: false,
        stale: STALE_MS,
        update: HEARTBEAT_MS,
        onCompromised: (error) => {
          heldHere.delete(dir);
          (options.onLost ?? ((e) => { throw e; }))(error);
        },
      });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTEMPTY: proper-lockfile found the lock stale by its mtime but could not rmdir it (holder.json is inside).
      if (code !== 'ELOCKED' && code !== 'ENOTEMPTY') throw error;
      const holder = await readHolder(holderFile);
      const stale = code === 'ENOTEMPTY' || (holder !== null && isGone(holder));
      // Taken over once; if someone else took it meanwhile, they hold it.
      if (!stale || attempt > 0) throw new DataFolderInUseError(folder, holder);
      await rm(lockDir, { recursive: true, force: true });
    }
  }
  // proper-lockfile takes a lock whose directory's mtime is not the one it set as lost to another
  // process; adding holder.json changes it, so it is set back (its first refresh is HEARTBEAT_MS away).
  const { mtime } = await stat(lockDir);
  await writeFile(holderFile, JSON.stringify(thisProcess()));
  await utimes(lockDir, mtime, mtime);
  heldHere.add(dir);
  // proper-lockfile removes the lock directory on any exit but SIGKILL; it must be empty by then.
  const removeHolder = () => rmSync(holderFile, { force: true });
  process.on('exit', removeHolder);

  return {
    async release() {
      process.off('exit', removeHolder);
      if (!heldHere.delete(dir)) return; // lost (onLost was told) or already released
      removeHolder();
      await unlock();
    },
  };
}

async function readHolder(file: string): Promise<DataFolderHolder | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<DataFolderHolder>;
    return typeof parsed.pid === 'number' && typeof parsed.hostname === 'string' && typeof parsed.startedAt === 'string'
      ? { pid: parsed.pid, hostname: parsed.hostname, startedAt: parsed.startedAt }
      : null;
  } catch {
    return null; // not written yet (the holder is between mkdir and writing it), or unreadable
  }
}

/** On this host only: a pid elsewhere says nothing here, and there the mtime decides. */
function isGone(holder: DataFolderHolder): boolean {
  if (holder.hostname !== hostname()) return false;
  // Our own pid that we do not hold here: a previous run of this container or machine.
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM';
  }
  return isZombie(holder.pid);
}

/** Linux: a killed process not yet reaped by its parent still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
