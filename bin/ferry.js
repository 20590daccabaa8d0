#!/usr/bin/env node
// Starts ferry from the compiled build in dist/ when it is there and up to date (see entry.js), otherwise
// from the TypeScript sources through tsx's loader, so a fresh `npm ci` is all it takes either way.
import { fileURLToPath } from 'node:url';
import { chooseEntry } from './entry.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let dir = '../dist';
let ext = 'js';
if (chooseEntry(root) === 'source') {
  const { register } = await import('tsx/esm/api');
  register();
  dir = '../src';
  ext = 'ts';
}
const { tuneHeap } = await import(`${dir}/cli/tune-heap.${ext}`);
tuneHeap();
const { main } = await import(`${dir}/cli/main.${ext}`);
process.exitCode = await main(process.argv);
