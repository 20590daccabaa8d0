import type { Rng } from './rng.ts';
import type { Weather, Fault } from './weather.ts';
import { response, type Delivery, type WireRequest } from './wire.ts';

/**
 * A scripted K3Cloud (kingdee-webapi.md) holding BD_Customer: session login (LoginByAppSecret) or signed
 * headers, BatchSave with per-DIndex results, IsAutoSubmitAndAudit, UnAudit by Ids, ExecuteBillQuery with
 * `FNumber in (…)` filters and StartRow/Limit/TopRowCount paging. Numbers are unique (MsgCode 11 on a
 * duplicate create); an audited record cannot be saved until it is unaudited.
 */

export interface Customer {
  id: number;
  number: string;
  name: string;
  org: string;
  /** A created, B submitted, C audited, D unaudited (re-audit). B and C cannot be saved. */
  status: 'A' | 'B' | 'C' | 'D';
  /** Run in which the vendor created it (for the report-truth check). */
  createdBy: string;
}

export interface KingdeeQuirks {
  /** ExecuteBillQuery returns at most this many rows whatever Limit asked (older servers: 2000). */
  queryCap?: number;
  /** Names longer than this are refused per row (MsgCode 11), the vendor's own validation. */
  maxNameLength: number;
  orgs: string[];
}

export const DUPLICATE = (n: string) => `违反字段唯一性要求：编码唯一。[${n}]在当前系统中已经被使用。`;
export const NOT_UNAUDITED = '已审核，不允许修改，请先反审核';
export const BAD_ORG = (o: string) => `创建组织字段“${o}”在系统中不存在`;
export const NAME_TOO_LONG = '客户名称超过最大长度';

type Status = Record<string, unknown>;

export class KingdeeVendor {
  readonly customers = new Map<string, Customer>();
  private nextId = 100_001;
  private sessions = new Set<string>();
  private sessionSeq = 0;
  /** Which run the current calls belong to (set by the schedule). */
  runTag = '';
  creates = 0;

  constructor(
    readonly quirks: KingdeeQuirks,
    private readonly weather: Weather,
    private readonly rng: Rng,
    private readonly signed: boolean,
    /** Faults also strike UnAudit, Submit and Audit, not only saves and queries. */
    private readonly followUpFaults = true,
  ) {}

  seed(c: Omit<Customer, 'id' | 'createdBy'>): Customer {
    const row = { ...c, id: this.nextId++, createdBy: 'preexisting' };
    this.customers.set(c.number, row);
    return row;
  }

  handle(req: WireRequest, api: (name: string) => void): Delivery {
    const service = /\.([A-Za-z]+)\.common\.kdsvc$/.exec(req.url.pathname)?.[1] ?? '';
    api(service);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body || '{}') as Record<string, unknown>;
    } catch {
      return this.answer('response_error:{"Message":"请求格式错误"}');
    }
    if (service === 'LoginByAppSecret') return this.login();
    if (service === 'Logout') return this.answer({});
    const calm = (service === 'UnAudit' || service === 'Submit' || service === 'Audit') && !this.followUpFaults;
    const fault = calm ? undefined : this.weather.draw(this.rng, ['refused', 'http500', 'http500After', 'lost', 'rateLimit', 'http429', 'http429Bare', 'sessionExpired', 'noEntities', 'rowsMissing', 'rowConflict', 'dindexShift', 'auditFail', 'autoAuditFail']);
    if (fault === 'refused') return { kind: 'refused' };
    if (fault === 'http500') return { kind: 'answer', response: response(500, '<html><head><title>500 - 内部服务器错误。</title></head></html>') };
    if (fault === 'http429') return { kind: 'answer', response: response(429, 'Too Many Requests', { headers: { 'retry-after': String(this.rng.int(1, 5)) } }) };
    if (fault === 'http429Bare') return { kind: 'answer', response: response(429, 'Too Many Requests') };
    if (fault === 'sessionExpired') this.sessions.clear();
    if (!this.authorised(req)) return this.answer({ Result: { ResponseStatus: this.status(false, 1, [{ FieldName: null, Message: '会话信息已丢失，请重新登录', DIndex: 0 }], []) } });
    const { formId, data } = this.args(body, service);
    if (fault === 'rateLimit') {
      const limited = { Result: { ResponseStatus: this.status(false, 14, [{ FieldName: null, Message: '调用次数超过限制', DIndex: 0 }], []) } };
      return this.answer(service === 'ExecuteBillQuery' ? [[limited]] : limited);
    }
    let answer: unknown;
    if (service === 'ExecuteBillQuery') answer = this.query(data);
    else if (formId.toUpperCase() !== 'BD_CUSTOMER') answer = { Result: { ResponseStatus: this.status(false, 4, [{ FieldName: null, Message: '业务对象不存在', DIndex: 0 }], []) } };
    else if (service === 'BatchSave') answer = this.batchSave(data, fault);
    else if (service === 'UnAudit' || service === 'Submit' || service === 'Audit') answer = this.statusOp(service, data, fault);
    else answer = { Result: { ResponseStatus: this.status(false, 4, [{ FieldName: null, Message: `不支持的操作 ${service}`, DIndex: 0 }], []) } };
    if (fault === 'http500After') return { kind: 'answer', response: response(500, '<html><head><title>500 - 内部服务器错误。</title></head></html>') };
    if (fault === 'lost') return { kind: 'lost' };
    return this.answer(answer);
  }

  private answer(value: unknown, setCookies: string[] = []): Delivery {
    return { kind: 'answer', response: response(200, value, { setCookies }) };
  }

  private status(ok: boolean, msgCode: number, errors: Status[], successes: Status[]): Status {
    return { ErrorCode: ok ? 0 : 500, IsSuccess: ok, Errors: errors, SuccessEntitys: successes, SuccessMessages: [], MsgCode: msgCode };
  }

  private login(): Delivery {
    const sid = `sid-${++this.sessionSeq}`;
    this.sessions.add(sid);
    return this.answer({ LoginResultType: 1, Message: '', KDSVCSessionId: sid, Context: { SessionId: sid, UserName: 'sim' } }, [`kdservice-sessionid=${sid}; path=/`, `ASP.NET_SessionId=a${sid}; path=/`]);
  }

  private authorised(req: WireRequest): boolean {
    if (this.signed) return !!req.headers.get('x-kd-signature');
    const cookie = req.headers.get('cookie') ?? '';
    const sid = req.headers.get('kdservice-sessionid') ?? /kdservice-sessionid=([^;]+)/.exec(cookie)?.[1];
    return !!sid && this.sessions.has(sid);
  }

  private args(body: Record<string, unknown>, service: string): { formId: string; data: Record<string, unknown> } {
    const parse = (d: unknown) => (typeof d === 'string' ? (JSON.parse(d) as Record<string, unknown>) : ((d ?? {}) as Record<string, unknown>));
    if (Array.isArray(body.parameters)) {
      const p = body.parameters as unknown[];
      if (service === 'ExecuteBillQuery') return { formId: '', data: parse(p[0]) };
      return { formId: String(p[0] ?? ''), data: parse(p[1]) };
    }
    const formId = String(body.formid ?? body.formId ?? body.FormId ?? '');
    return { formId, data: parse(body.data) };
  }

  private query(data: Record<string, unknown>): unknown {
    const keys = String(data.FieldKeys ?? '').split(',').map((k) => k.trim()).filter(Boolean);
    const known: Record<string, (c: Customer) => unknown> = {
      FCUSTID: (c) => c.id,
      FNUMBER: (c) => c.number,
      FNAME: (c) => c.name,
      'FCREATEORGID.FNUMBER': (c) => c.org,
      FDOCUMENTSTATUS: (c) => c.status,
    };
    const bad = keys.find((k) => !known[k.toUpperCase()]);
    if (!keys.length || bad)
      return [[{ Result: { ResponseStatus: this.status(false, keys.length ? 9 : 8, [{ FieldName: bad ?? 'FieldKeys', Message: `字段${bad ?? ''}不存在`, DIndex: 0 }], []) } }]];
    let rows = [...this.customers.values()].sort((a, b) => a.id - b.id);
    const filter = String(data.FilterString ?? '').trim();
    if (filter) {
      const m = /^(FNumber|FCUSTID)\s+in\s*\((.*)\)$/i.exec(filter);
      if (!m) return [[{ Result: { ResponseStatus: this.status(false, 4, [{ FieldName: null, Message: `过滤条件不支持: ${filter}`, DIndex: 0 }], []) } }]];
      const values = new Set([...m[2]!.matchAll(/'((?:[^']|'')*)'|(-?\d+)/g)].map((x) => (x[1] !== undefined ? x[1].replace(/''/g, "'") : x[2]!)));
      const byId = m[1]!.toUpperCase() === 'FCUSTID';
      rows = rows.filter((c) => values.has(byId ? String(c.id) : c.number));
    }
    const start = Number(data.StartRow ?? 0) || 0;
    const top = Number(data.TopRowCount ?? 0) || 0;
    const limit = Number(data.Limit ?? 0) || 0;
    if (top > 0) rows = rows.slice(0, top);
    rows = rows.slice(start, limit > 0 ? start + limit : undefined);
    if (this.quirks.queryCap) rows = rows.slice(0, this.quirks.queryCap);
    return rows.map((c) => keys.map((k) => known[k.toUpperCase()]!(c)));
  }

  private batchSave(data: Record<string, unknown>, fault: Fault | undefined): unknown {
    const models = Array.isArray(data.Model) ? (data.Model as Record<string, unknown>[]) : [];
    const autoAudit = String(data.IsAutoSubmitAndAudit).toLowerCase() === 'true';
    const errors: Status[] = [];
    const successes: Status[] = [];
    const conflictAt = fault === 'rowConflict' ? this.rng.int(0, Math.max(0, models.length - 1)) : -1;
    models.forEach((m, dIndex) => {
      const number = String(m.FNumber ?? '');
      const name = String(m.FName ?? '');
      const org = String((m.FCreateOrgId as Record<string, unknown> | undefined)?.FNumber ?? '');
      const id = Number(m.FCUSTID ?? 0) || 0;
      const refuse = (msg: string, field: string, code = 11) => errors.push({ FieldName: field, Message: msg, DIndex: dIndex, _code: code });
      if (dIndex === conflictAt) return refuse('网控冲突：其他用户正在修改该记录，请稍后再试', '', 13);
      if (!this.quirks.orgs.includes(org)) return refuse(BAD_ORG(org), 'FCreateOrgId');
      if (name.length > this.quirks.maxNameLength) return refuse(NAME_TOO_LONG, 'FName');
      let c: Customer | undefined;
      if (id) {
        c = [...this.customers.values()].find((x) => x.id === id);
        if (!c) return refuse('单据不存在或已删除', 'FCUSTID', 10);
        if (c.status === 'C' || c.status === 'B') return refuse(c.status === 'C' ? NOT_UNAUDITED : `${c.number} 已提交，不允许修改`, '', 12);
        if (number !== c.number) {
          if (this.customers.has(number)) return refuse(DUPLICATE(number), 'FNumber');
          this.customers.delete(c.number);
          c.number = number;
          this.customers.set(number, c);
        }
        c.name = name;
        c.org = org;
      } else {
        if (this.customers.has(number)) return refuse(DUPLICATE(number), 'FNumber');
        c = { id: this.nextId++, number, name, org, status: 'A', createdBy: this.runTag };
        this.customers.set(number, c);
        this.creates++;
      }
      if (autoAudit) {
        if (fault === 'autoAuditFail' && this.rng.chance(0.5)) return refuse(`提交审核失败：${number} 审核流程异常`, '', 12);
        c.status = 'C';
      }
      successes.push({ Id: String(c.id), Number: c.number, DIndex: dIndex });
    });
    return this.saveAnswer(errors, successes, fault);
  }

  private saveAnswer(errors: Status[], successes: Status[], fault: Fault | undefined): unknown {
    let shown = successes;
    if (fault === 'noEntities') shown = [];
    if (fault === 'rowsMissing') shown = successes.filter(() => this.rng.chance(0.5));
    if (fault === 'dindexShift' && shown.length > 1) shown = shown.map((s, i) => ({ ...s, DIndex: shown[(i + 1) % shown.length]!.DIndex }));
    const code = errors.length ? Number(errors[0]!._code) : 0;
    const errs = errors.map(({ _code: _c, ...e }) => e);
    const ok = fault === 'noEntities' ? true : errs.length === 0;
    return { Result: { ResponseStatus: this.status(ok, code, errs, shown), NeedReturnData: [] } };
  }

  /** UnAudit C → D, Submit A/D → B, Audit B → C, by Ids (comma-separated) or Numbers; per-DIndex answers. */
  private statusOp(op: 'UnAudit' | 'Submit' | 'Audit', data: Record<string, unknown>, fault: Fault | undefined): unknown {
    const ids = String(data.Ids ?? '').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
    const numbers = Array.isArray(data.Numbers) ? (data.Numbers as unknown[]).map(String) : [];
    const targets = ids.length ? ids.map((id) => [...this.customers.values()].find((c) => c.id === id)) : numbers.map((n) => this.customers.get(n));
    const from: Record<typeof op, string[]> = { UnAudit: ['C'], Submit: ['A', 'D'], Audit: ['B'] };
    const to = { UnAudit: 'D', Submit: 'B', Audit: 'C' } as const;
    const errors: Status[] = [];
    const successes: Status[] = [];
    targets.forEach((c, dIndex) => {
      if (!c) return errors.push({ FieldName: '', Message: '单据不存在', DIndex: dIndex, _code: 10 });
      if (fault === 'auditFail' && this.rng.chance(0.5)) return errors.push({ FieldName: '', Message: `${op}失败：网控冲突，请稍后再试`, DIndex: dIndex, _code: 13 });
      if (!from[op].includes(c.status)) return errors.push({ FieldName: '', Message: `客户编码为“${c.number}”的客户当前状态为“${c.status}”，不能${op}`, DIndex: dIndex, _code: 12 });
      c.status = to[op];
      successes.push({ Id: String(c.id), Number: c.number, DIndex: dIndex });
    });
    const code = errors.length ? Number(errors[0]!._code) : 0;
    return { Result: { ResponseStatus: this.status(errors.length === 0, code, errors.map(({ _code: _c, ...e }) => e), successes) } };
  }
}
