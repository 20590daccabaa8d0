import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startServerWorld, until, type ServerWorld } from './server-support.ts';

/**
 * Issue 18, item 6. No Grafana runs here, so the dashboard in deploy/grafana/ferry.json is checked against a real
 * `/metrics` answer of `ferry serve` after a run of the seed scheme (half the shops rejected by Kingdee): every
 * metric a panel or variable queries exists, every label it filters or groups by is a label of that metric, and
 * every exact label value it filters on (except ok="false": no call failed in this run) occurs.
 */
const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');
const SCHEME = encodeURIComponent('店铺同步客户');
const DASHBOARD = JSON.parse(readFileSync(new URL('../deploy/grafana/ferry.json', import.meta.url), 'utf8')) as {
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
  templating: { list: { type: string; definition?: string }[] };
};

/** metric name → label name → values seen, from the Prometheus text format. */
function parseExposition(text: string): Map<string, Map<string, Set<string>>> {
  const out = new Map<string, Map<string, Set<string>>>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+\S+$/.exec(line);
    if (!m) continue;
    const labels = out.get(m[1]!) ?? new Map<string, Set<string>>();
    out.set(m[1]!, labels);
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      const set = labels.get(l[1]!) ?? new Set<string>();
      set.add(l[2]!);
      labels.set(l[1]!, set);
    }
  }
  return out;
}

interface Use {
  metric: string;
  labels: Set<string>;
  exact: { label: string; value: string }[];
}

/** The metrics a PromQL expression reads, with the labels its selectors and `by (…)` clauses name. */
function usesOf(expr: string): Use[] {
  const uses: Use[] = [];
  for (const m of expr.matchAll(/\b(ferry_[a-z0-9_]+)\s*(\{[^}]*\})?/g)) {
    const u: Use = { metric: m[1]!, labels: new Set(), exact: [] };
    for (const s of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)"/g)) {
      u.labels.add(s[1]!);
      if (s[2] === '=') u.exact.push({ label: s[1]!, value: s[3]! });
    }
    uses.push(u);
  }
  const by = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)].flatMap((b) => b[1]!.split(',').map((x) => x.trim()).filter(Boolean));
  for (const u of uses) for (const l of by) u.labels.add(l);
  return uses;
}

describe('the Grafana dashboard queries what /metrics serves', () => {
  let w: ServerWorld;
  let metrics: Map<string, Map<string, Set<string>>>;
  beforeAll(async () => {
    w = await startServerWorld({ shops: 12, orgNumbers: ['100', '999'] });
    const api = await apiClient(w.url);
    expect((await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt })).status).toBe(200);
    expect((await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee })).status).toBe(200);
    expect((await api.post('/api/schemes', { text: SEED })).status).toBe(201);
    const runId = String((await api.post(`/api/schemes/${SCHEME}/run`)).json.runId);
    const run = await until(async () => {
      const r = await api.get(`/api/runs/${runId}`);
      return r.json.status !== 'running' ? r.json : undefined;
    });
    expect(run.status).toBe('partial');
    expect(run.counts.rejected).toBeGreaterThan(0);
    metrics = parseExposition((await api.get('/metrics')).text);
  });
  afterAll(async () => w?.close());

  it('counts rejections by stage, kind and vendor code', () => {
    const r = metrics.get('ferry_rejections_total');
    expect(r, 'ferry_rejections_total is exported').toBeDefined();
    expect([...r!.get('stage')!]).toEqual(['target']);
    expect(r!.get('scheme')!.has('店铺同步客户')).toBe(true);
  });

  it('every panel query and variable names an existing metric with existing labels', () => {
    const exprs = DASHBOARD.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr })));
    for (const v of DASHBOARD.templating.list) {
      const lv = v.definition && /label_values\((\w+),\s*(\w+)\)/.exec(v.definition);
      if (lv) exprs.push({ where: `variable ${v.definition}`, expr: `sum by (${lv[2]}) (${lv[1]})` });
    }
    expect(exprs.length).toBeGreaterThan(10);
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const { where, expr } of exprs) {
      const uses = usesOf(expr);
      if (!uses.length) problems.push(`${where}: queries no ferry metric`);
      for (const u of uses) {
        seen.add(u.metric);
        const labels = metrics.get(u.metric);
        if (!labels) {
          problems.push(`${where}: ${u.metric} is not in /metrics`);
          continue;
        }
        for (const l of u.labels) if (!labels.has(l)) problems.push(`${where}: ${u.metric} has no label "${l}" (has ${[...labels.keys()].join(', ')})`);
        for (const x of u.exact) if (x.label !== 'ok' && !labels.get(x.label)?.has(x.value)) problems.push(`${where}: ${u.metric}{${x.label}="${x.value}"} never occurs`);
      }
    }
    expect(problems).toEqual([]);
    // What the issue asks the dashboard to show.
    for (const m of ['ferry_runs_total', 'ferry_records_total', 'ferry_api_calls_total', 'ferry_api_call_duration_seconds_bucket', 'ferry_rejections_total']) expect(seen).toContain(m);
  });
});
