/**
 * Expressions cannot reach the file system, the network or the process, cannot pollute prototypes, and are
 * stopped by their limits. Every attempt must fail (compile error or mapping error) or yield a harmless value,
 * and afterwards: the sentinel file was never created, the secret file's text never came out, the local TCP
 * server never saw a connection, Object.prototype is clean.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMapping, type MappingResult } from '../src/core/mapping/index.ts';

let dir: string;
let server: Server;
let port = 0;
let connections = 0;
const SECRET = 'ferry-secret-7f3a9c';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-sandbox-'));
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

type Outcome = { stage: 'compile'; message: string } | { stage: 'map'; result: MappingResult };

async function attempt(expression: string, limits = {}): Promise<Outcome> {
  const c = compileMapping([{ field: 'X', expression }], { expressionLimits: limits });
  if (!c.ok) return { stage: 'compile', message: c.errors.map((e) => e.message).join('; ') };
  const record = { sentinel: join(dir, 'created-by-expression.txt'), secretPath: join(dir, 'secret.txt'), port, url: `http://127.0.0.1:${port}/` };
  return { stage: 'map', result: await c.mapping.map(record) };
}

const escapes = [
  "$require('fs').writeFileSync(sentinel, 'pwned')",
  "$require('fs').readFileSync(secretPath, 'utf8')",
  "$require('net').connect(port, '127.0.0.1')",
  "$import('fs')",
  "$fetch(url)",
  "$process.exit(1)",
  "$globalThis.process.mainModule.require('fs').writeFileSync(sentinel, 'x')",
  "$.constructor.constructor('return process')().mainModule.require('fs').writeFileSync(sentinel, 'x')",
  "$string.constructor('return process')()",
  "$lookup($, 'constructor')('return process')()",
  "$lookup($lookup($, '__proto__'), 'constructor')",
  "$eval(\"$require('fs')\")",
  "($e := $eval; $e('1 + 1'))",
  "$sift($, function($v, $k) { $k = 'constructor' })",
  "$keys($string)",
  "$merge([{}, {'__proto__': {'polluted': true}}])",
  "{'__proto__': {'polluted': true}}",
  "$ ~> | $ | {'__proto__': {'polluted': true}} |",
  "$spread($).constructor",
  "$string($string)",
];

describe('expression sandbox', () => {
  it.each(escapes)('cannot escape: %s', async (expression) => {
    const o = await attempt(expression);
    if (o.stage === 'map' && o.result.ok) {
      const text = JSON.stringify(o.result.value);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('[native code]');
      expect(text).not.toContain('polluted":true}}'); // no prototype object leaked as a value
    }
    expect(existsSync(join(dir, 'created-by-expression.txt'))).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('the attempts above never reached the network', async () => {
    await new Promise((r) => setImmediate(r));
    expect(connections).toBe(0);
  });

  it('require, eval and constructor escapes fail with a message naming the field and the expression', async () => {
    const req = await attempt("$require('fs')");
    expect(req.stage).toBe('map');
    if (req.stage === 'map') {
      expect(req.result.ok).toBe(false);
      if (!req.result.ok) expect(req.result.errors[0]!.message).toMatch(/^X: expression "\$require\('fs'\)" failed: .*non-function/);
    }
    const ev = await attempt("$eval('1')");
    expect(ev).toEqual({ stage: 'compile', message: '$eval is not allowed in ferry expressions' });
    // Only own properties are visible: the constructor chain is simply missing, so nothing is emitted.
    const ctor = await attempt("$.constructor.constructor('return 1')()");
    expect(ctor).toEqual({ stage: 'map', result: { ok: true, value: {} } });
    const proto = await attempt("{'__proto__': {'polluted': true}}");
    expect(proto).toEqual({ stage: 'map', result: { ok: true, value: { X: {} } } });
  });

  it('an endless loop is stopped by the time limit', async () => {
    const o = await attempt('( $f := function($x) { $f($x + 1) }; $f(0) )', { timeoutMs: 50 });
    expect(o.stage).toBe('map');
    if (o.stage === 'map') {
      expect(o.result.ok).toBe(false);
      if (!o.result.ok) expect(o.result.errors[0]!.message).toContain('time limit');
    }
  });

  it('a long computation is stopped by the time limit', async () => {
    const o = await attempt('$sum([1..1000000].($ * 2))', { timeoutMs: 20, maxSequence: 2_000_000 });
    expect(o.stage === 'map' && !o.result.ok && o.result.errors[0]!.message.includes('time limit')).toBe(true);
  });

  it('runaway recursion is stopped by the depth limit', async () => {
    const o = await attempt('( $f := function($x) { 1 + $f($x + 1) }; $f(0) )');
    expect(o.stage === 'map' && !o.result.ok && o.result.errors[0]!.message.includes('depth limit')).toBe(true);
  });

  it('huge sequences and huge padding are refused', async () => {
    const seq = await attempt('$count([1..5000000])');
    expect(seq.stage === 'map' && !seq.result.ok && seq.result.errors[0]!.message.includes('sequence grew')).toBe(true);
    const pad = await attempt("$length($pad('x', 100000000))");
    expect(pad.stage === 'map' && !pad.result.ok && pad.result.errors[0]!.message.includes('$pad width')).toBe(true);
    const okPad = await attempt("$pad('ab', -5, '#')");
    expect(okPad).toEqual({ stage: 'map', result: { ok: true, value: { X: '###ab' } } });
  });

  it('catastrophic-backtracking regexes are refused at compile time', async () => {
    for (const e of ["$match('aaaaaaaaaaaaaaaaaaaaaaaaaaaa!', /(a+)+$/)", "$replace('x', /(a|aa)*b/, '')", "$contains('x', /(\\w+\\s?)*$/)"]) {
      const o = await attempt(e);
      expect(o.stage).toBe('compile');
      if (o.stage === 'compile') expect(o.message).toContain('unsafe regular expression');
    }
    const safe = await attempt("$replace('a-b-c', /-/, '+')");
    expect(safe).toEqual({ stage: 'map', result: { ok: true, value: { X: 'a+b+c' } } });
  });

  it('a function result is an error, not a value', async () => {
    const o = await attempt('function($x) { $x }');
    expect(o.stage === 'map' && !o.result.ok && o.result.errors[0]!.message.includes('returned a function')).toBe(true);
  });
});
