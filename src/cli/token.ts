/**
 * `npm run token -- --role staff --jurisdiction portland`: mints a local staff or admin token signed
 * with AUTH_JWT_SECRET (the development secret when unset outside production), for the Sandbox.
 */
import { parseArgs } from 'node:util';
import { signStaffToken } from '../auth/jwt.ts';
import { loadConfig } from '../config.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'staff' },
    jurisdiction: { type: 'string' },
    subject: { type: 'string', default: 'dev-staff@localhost' },
    name: { type: 'string', default: 'Local developer' },
    expires: { type: 'string', default: '8h' },
  },
});

const config = loadConfig();
if (values.role !== 'staff' && values.role !== 'admin') throw new Error('--role must be staff or admin');
if (values.role === 'staff' && !values.jurisdiction) throw new Error('--jurisdiction is required for a staff token');
if (!config.AUTH_JWT_SECRET) throw new Error('Set AUTH_JWT_SECRET to mint tokens (the development default is off in production)');

const token = await signStaffToken(
  { secret: config.AUTH_JWT_SECRET, issuer: config.AUTH_JWT_ISSUER, audience: config.AUTH_JWT_AUDIENCE },
  { role: values.role, subject: values.subject!, name: values.name!, expiresIn: values.expires!, ...(values.jurisdiction ? { jurisdiction: values.jurisdiction } : {}) },
);
console.log(token);
console.error(`\nIn the Sandbox, add the header  Authorization: Bearer <token above>  (valid ${values.expires}).`);
