import { z } from 'zod';
import { HttpReadOptions } from './read-options.ts';
import { HttpWriteOptions } from './write-options.ts';

/**
 * What an HTTP source or target accepts in a scheme, as schemas of the ReadSpec / WriteSpec: `extra` is
 * HttpReadOptions / HttpWriteOptions (the same schemas the source and target parse their settings with).
 */
export const HttpReadSpecOptions = z
  .object({ extra: HttpReadOptions.optional() })
  .loose()
  .describe('HTTP source settings (checked on the ReadSpec).');

export const HttpWriteSpecOptions = z
  .object({ extra: HttpWriteOptions.optional() })
  .loose()
  .describe('HTTP target settings (checked on the WriteSpec).');
