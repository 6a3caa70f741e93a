import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';

// A setup file of the process tests: they run dist/, which test/global-setup.ts builds while other tests run.
// Vitest runs this before it imports the test file, so even a file that imports dist/ at its top waits here.
const status = inject('distBuild');
while (!existsSync(status)) await new Promise((resolve) => setTimeout(resolve, 50));
const { code, output } = JSON.parse(readFileSync(status, 'utf8')) as { code: number | null; output: string };
if (code !== 0) throw new Error(`building dist/ failed (tsc exited with ${code}):\n${output}`);
