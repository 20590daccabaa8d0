#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so a fresh `npm ci` is all it takes.
import { register } from 'tsx/esm/api';

register();
const { tuneHeap } = await import('../src/cli/tune-heap.ts');
tuneHeap();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
