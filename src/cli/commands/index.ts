import type { Command } from 'commander';
import { registerSchema } from './schema.ts';
import { registerValidate } from './validate.ts';

/** The composition root lists every command explicitly (nothing registers itself on import). */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerSchema(program);
}
