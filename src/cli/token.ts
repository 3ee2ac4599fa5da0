/**
 * `npm run -s token -- --role staff --jurisdiction portland`: mints a local staff or admin token
 * signed with AUTH_JWT_SECRET (the development secret when unset outside production), for the
 * Sandbox. The token alone goes to stdout (so `TOKEN=$(npm run -s token -- …)` captures it); hints
 * and errors go to stderr; --help prints the usage on stdout.
 */
import { parseArgs } from 'node:util';
import { EVERY_JURISDICTION, parseStaffClaims, signStaffToken } from '../auth/jwt.ts';
import { loadConfig } from '../config.ts';

const USAGE = `Usage: npm run -s token -- --jurisdiction <slug> [--role staff|admin] [--subject <sub>] [--name <name>] [--expires <8h>]

Prints a signed token, and nothing else, on stdout.
  --jurisdiction  the jurisdiction's slug (e.g. portland); "${EVERY_JURISDICTION}" with --role admin for every jurisdiction
  --role          staff (default) or admin
  --subject       the token's sub, recorded in the audit log (default dev-staff@localhost)
  --name          the name shown as the viewer's (default "Local developer")
  --expires       lifetime, as jose reads it: 30m, 8h, 2d (default 8h)`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        help: { type: 'boolean', short: 'h' },
        role: { type: 'string', default: 'staff' },
        jurisdiction: { type: 'string' },
        subject: { type: 'string', default: 'dev-staff@localhost' },
        name: { type: 'string', default: 'Local developer' },
        expires: { type: 'string', default: '8h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    // Asked for, and no token printed: the usage is the output.
    console.log(USAGE);
    return;
  }
  if (values.role !== 'staff' && values.role !== 'admin') throw new UsageError('--role must be staff or admin');
  if (!values.jurisdiction) throw new UsageError(`--jurisdiction is required (a slug, or "${EVERY_JURISDICTION}" with --role admin)`);
  // The server parses claims with this schema: refuse here what it would refuse there.
  const checked = parseStaffClaims({ sub: values.subject, role: values.role, jurisdiction: values.jurisdiction, name: values.name });
  if (!checked.ok) throw new UsageError(`the "${checked.claim}" claim must be ${checked.expected}`);
  const config = loadConfig();
  if (!config.AUTH_JWT_SECRET) throw new Error('Set AUTH_JWT_SECRET to mint tokens (the development default is off in production)');
  const token = await signStaffToken(
    { secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE },
    { role: values.role, subject: values.subject!, name: values.name!, expiresIn: values.expires!, jurisdiction: values.jurisdiction },
  );
  process.stdout.write(`${token}\n`);
  console.error(`In the Sandbox, add the header  Authorization: Bearer <token above>  (valid ${values.expires}).`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`token: ${(error as Error).message}`);
  if (error instanceof UsageError) console.error(`\n${USAGE}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
