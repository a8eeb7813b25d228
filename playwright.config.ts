import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests on real Chromium against the production build (`npm run build` first).
 * Browsers cannot be downloaded on every machine, so a system Chromium is used when present:
 * PIPEDECK_CHROMIUM, else /usr/bin/chromium, else Playwright's own browser.
 */
const systemChromium = [process.env.PIPEDECK_CHROMIUM, '/usr/bin/chromium'].find(
  (candidate): candidate is string => Boolean(candidate) && fs.existsSync(candidate as string),
);

const port = Number(process.env.PIPEDECK_E2E_PORT ?? 3200);
const baseURL = `http://127.0.0.1:${port}`;

// Playwright loads this file in the runner and in each worker; only the runner starts the server,
// so the data directory is created once and handed over through the environment.
process.env.PIPEDECK_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'pipedeck-e2e-'));

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  forbidOnly: Boolean(process.env.CI),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: systemChromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `node scripts/start.mjs`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      PIPEDECK_DATA_DIR: process.env.PIPEDECK_E2E_DATA_DIR,
      PIPEDECK_LOG_LEVEL: 'warn',
    },
  },
});
