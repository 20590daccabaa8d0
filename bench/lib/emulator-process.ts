/**
 * Child process for benchmarks: runs both emulators (so their CPU and memory are not counted in the
 * process being measured) and prints the connections document as one JSON line on stdout.
 * Args: <shops> <latencyMs>. Stops on SIGTERM.
 */
import { startDemoEnvironment } from '../../src/cli/demo-setup.ts';

const shops = Number(process.argv[2] ?? 100_000);
const latencyMs = Number(process.argv[3] ?? 0);
const env = await startDemoEnvironment({
  shops,
  transport: 'qimen',
  wdt: { faults: { latencyMs } },
  kingdee: { faults: { latencyMs }, sessionIdleMs: 24 * 3600_000 },
});
process.stdout.write(`${JSON.stringify({ connections: env.connections, kingdeeUrl: env.kingdee.url, wdtUrl: env.wdt.url })}\n`);
const stop = async () => {
  await env.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
