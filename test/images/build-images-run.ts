import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO } from '../helpers/repo.js';

/** Where `npm run images` writes control.tar, admin.tar and inputs.sha256. */
export const IMAGES_DIR = path.join(REPO, 'build/images');
export const RECIPES_DIR = path.join(REPO, 'src/images/recipes');
export const BUILD_SCRIPT = path.join(REPO, 'scripts/build-images.sh');

export interface BuildRun {
  code: number | null;
  stderr: string;
}

/** Runs scripts/build-images.sh with ARGS (slow the first time; a no-op when the archives are fresh). */
export function runBuildImages(args: readonly string[] = []): Promise<BuildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** Builds the images unless they are up to date; fails with the build's output if it fails. */
export async function ensureImagesBuilt(): Promise<void> {
  const run = await runBuildImages();
  if (run.code !== 0) throw new Error(`build-images.sh exited with ${run.code}:\n${run.stderr}`);
}

export function archivePath(image: 'control' | 'admin', dir = IMAGES_DIR): string {
  return path.join(dir, `${image}.tar`);
}
