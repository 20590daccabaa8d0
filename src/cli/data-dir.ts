import { join, resolve } from 'node:path';

/** Where ferry keeps its state: `--data`, else FERRY_DATA_DIR, else `.ferry` in the working directory. */
export function dataDir(opt?: string): string {
  return resolve(opt ?? process.env.FERRY_DATA_DIR ?? '.ferry');
}

export const stateFile = (dir: string) => join(dir, 'ferry.sqlite');
export const logFile = (dir: string) => join(dir, 'logs', 'ferry.log');
