/**
 * Finding the Chromium the browser tests drive (Debian's `chromium` package; CHROMIUM names another).
 * Without one, the tests are skipped with one line saying what to install — except under CI, where
 * .ci/run installs it and its absence is a failure.
 */
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | null {
  const named = process.env.CHROMIUM;
  if (named !== undefined && named !== '') return existsSync(named) ? named : null;
  return CANDIDATES.find((path) => existsSync(path)) ?? null;
}

export const MISSING_CHROMIUM = 'browser tests skipped: no Chromium found; install Debian\'s `chromium` package (apt-get install chromium) or set CHROMIUM to a Chromium binary';
