/** pino-roll ships no type declarations: what ferry uses of it (see node_modules/pino-roll/README.md). */
declare module 'pino-roll' {
  import type { SonicBoom } from 'sonic-boom';
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    dateFormat?: string;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    mkdir?: boolean;
    mode?: number;
    sync?: boolean;
  }
  export default function build(options: PinoRollOptions): Promise<SonicBoom>;
}
