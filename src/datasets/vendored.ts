/**
 * The cities whose datasets ship in this repository (src/datasets/<slug>/), and the folders `npm start`
 * imports. A fourth city is added by converting its sources into a new folder here (FORMAT.md) and
 * naming it in CITIES; nothing else in the code changes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from '../project-root.ts';
import { StartupRefusal } from '../startup-refusal.ts';
import { DATASET_FILES } from './format.ts';

/** Every vendored city, in the order `npm start` imports them by default. */
export const VENDORED_CITIES = ['portland', 'philadelphia', 'nyc'] as const;

/** The folder of a vendored city's dataset. */
export function vendoredCityDir(city: string): string {
  return projectPath('src', 'datasets', city);
}

/**
 * The dataset folders for CITIES, refusing a name with no vendored dataset (a typo would otherwise
 * start a server without that city).
 */
export function vendoredCityDirs(cities: readonly string[]): string[] {
  return cities.map((city) => {
    const dir = vendoredCityDir(city);
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(city) || !existsSync(join(dir, DATASET_FILES.jurisdiction))) {
      throw new StartupRefusal(`Invalid configuration: CITIES names "${city}", which has no dataset in src/datasets/ (known: ${VENDORED_CITIES.join(', ')})`);
    }
    return dir;
  });
}
