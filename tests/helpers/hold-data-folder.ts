/**
 * A separate process that takes a data folder's lock (the way `npm start` does, through
 * lockDataFolder) and holds it until killed: `node --import tsx tests/helpers/hold-data-folder.ts <folder>`.
 * Prints "locked" once it holds it; on SIGTERM it exits with process.exit, without releasing the
 * lock itself (as a process ending on an error does).
 */
import { lockDataFolder } from '../../src/db/data-folder-lock.ts';

await lockDataFolder(process.argv[2]!);
process.stdout.write('locked\n');
process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 60_000);
