export * from './jurisdictions.ts';
export * from './divisions.ts';
export * from './organizations.ts';
export * from './posts.ts';
export * from './people.ts';
export * from './memberships.ts';
export * from './dataset-imports.ts';
