import type { Command } from 'commander';

/** The composition root lists every command explicitly (nothing registers itself on import). */
export function registerCommands(program: Command): void {
  void program;
}
