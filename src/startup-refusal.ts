import type { Logger } from 'pino';

/**
 * A reason this process will not start that the person starting it can act on (the data folder is
 * in use, the port is taken). Logged as one line with no stack trace, and the process exits 1; any
 * other error at start is a bug and keeps its stack.
 */
export class StartupRefusal extends Error {
  override name = 'StartupRefusal';
}

/** A `.catch` for start-up steps: a StartupRefusal ends the process as above; anything else is rethrown. */
export function refuseToStart(logger: Logger): (error: unknown) => never {
  return (error) => {
    if (!(error instanceof StartupRefusal)) throw error;
    logger.fatal(error.message);
    process.exit(1);
  };
}
