/**
 * The forms the emulator knows (reference §5): BD_Customer and SAL_OUTSTOCK, with their field keys,
 * labels (used in Kingdee-style messages), kinds, required fields and the base data each reference points to.
 * Field keys match case-insensitively; records are stored under the canonical spelling below.
 */

export type FieldKind = 'text' | 'lang' | 'number' | 'bool' | 'date' | 'ref' | 'object' | 'entry';

export interface FieldDef {
  key: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  /** Base-data table a `ref` points to; refs without a table are accepted as sent. */
  table?: string;
  /** The reference must resolve even when IsVerifyBaseDataField is off (organisations, the bill's customer). */
  alwaysVerify?: boolean;
  /** Entry rows: their fields (absent: rows are kept as sent). */
  children?: FieldDef[];
  /** Entry table name used by View (e.g. SAL_OUTSTOCKENTRY). */
  entryTable?: string;
}

export interface FormDef {
  formId: string;
  name: string;
  idKey: string;
  numberKey: string;
  numberLabel: string;
  /** Prefix of numbers generated when a new record comes without one (coding rule). */
  numberPrefix: string;
  fields: FieldDef[];
}

const ref = (key: string, label: string, table?: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, label, kind: 'ref', table, ...extra });
const text = (key: string, label: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, label, kind: 'text', ...extra });
const num = (key: string, label: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, label, kind: 'number', ...extra });
const bool = (key: string, label: string): FieldDef => ({ key, label, kind: 'bool' });
const entry = (key: string, label: string, entryTable: string, children?: FieldDef[]): FieldDef => ({ key, label, kind: 'entry', entryTable, children });

export const ORG_TABLE = 'ORG_Organizations';

export const BD_CUSTOMER: FormDef = {
  formId: 'BD_Customer',
  name: '客户',
  idKey: 'FCUSTID',
  numberKey: 'FNumber',
  numberLabel: '编码',
  numberPrefix: 'CUST',
  fields: [
    { key: 'FName', label: '客户名称', kind: 'lang', required: true },
    text('FShortName', '简称'),
    ref('FCreateOrgId', '创建组织', ORG_TABLE, { required: true, alwaysVerify: true }),
    ref('FUseOrgId', '使用组织', ORG_TABLE, { required: true, alwaysVerify: true }),
    text('FDescription', '描述'),
    ref('FCOUNTRY', '国家'),
    ref('FPROVINCIAL', '地区'),
    text('FADDRESS', '通讯地址'),
    text('FZIP', '邮政编码'),
    text('FWEBSITE', '公司网址'),
    text('FTEL', '联系电话'),
    text('FFAX', '传真'),
    text('FTAXREGISTERCODE', '纳税登记号'),
    ref('FCustTypeId', '客户类别'),
    ref('FGroup', '客户分组'),
    ref('FTRADINGCURRID', '结算币别', 'BD_Currency'),
    ref('FRECEIVECURRID', '收款币别', 'BD_Currency'),
    ref('FSETTLETYPEID', '结算方式'),
    ref('FRECCONDITIONID', '收款条件'),
    ref('FPRICELISTID', '价目表'),
    ref('FDISCOUNTLISTID', '折扣表'),
    ref('FTaxType', '税分类'),
    text('FInvoiceType', '发票类型'),
    ref('FTaxRate', '默认税率'),
    ref('FSUPPLIERID', '对应供应商'),
    ref('FGROUPCUSTID', '集团客户'),
    ref('FCorrespondOrgId', '对应组织', ORG_TABLE),
    bool('FIsGroup', '集团客户'),
    bool('FIsDefPayer', '默认付款方'),
    bool('FISCREDITCHECK', '启用信用管理'),
    bool('FIsTrade', '是否交易客户'),
    num('FPriority', '客户优先级'),
    num('FTRANSLEADTIME', '运输提前期'),
    { key: 'FT_BD_CUSTOMEREXT', label: '商务信息', kind: 'object' },
    entry('FT_BD_CUSTLOCATION', '地址信息', 'BD_CUSTLOCATION'),
    entry('FT_BD_CUSTBANK', '银行信息', 'BD_CUSTBANK'),
    entry('FT_BD_CUSTCONTACT', '联系人', 'BD_CUSTCONTACT'),
    entry('FT_BD_CUSTORDERORG', '订货组织', 'BD_CUSTORDERORG'),
  ],
};

export const SAL_OUTSTOCK: FormDef = {
  formId: 'SAL_OUTSTOCK',
  name: '销售出库单',
  idKey: 'FID',
  numberKey: 'FBillNo',
  numberLabel: '单据编号',
  numberPrefix: 'XSCKD',
  fields: [
    ref('FBillTypeID', '单据类型', 'BD_BillType'),
    { key: 'FDate', label: '日期', kind: 'date', required: true },
    ref('FSaleOrgId', '销售组织', ORG_TABLE, { required: true, alwaysVerify: true }),
    ref('FStockOrgId', '发货组织', ORG_TABLE, { required: true, alwaysVerify: true }),
    ref('FCustomerID', '客户', 'BD_Customer', { required: true, alwaysVerify: true }),
    ref('FReceiverID', '收货方', 'BD_Customer'),
    ref('FSettleID', '结算方', 'BD_Customer'),
    ref('FPayerID', '付款方', 'BD_Customer'),
    ref('FSalesManID', '销售员'),
    ref('FSaleDeptID', '销售部门'),
    text('FNote', '备注'),
    { key: 'SubHeadEntity', label: '财务信息', kind: 'object' },
    { ...entry('FEntity', '明细信息', 'SAL_OUTSTOCKENTRY', [
      ref('FMaterialID', '物料编码', 'BD_MATERIAL', { required: true }),
      ref('FUnitID', '库存单位', 'BD_UNIT'),
      num('FRealQty', '实发数量', { required: true }),
      num('FPrice', '单价'),
      num('FTaxPrice', '含税单价'),
      num('FEntryTaxRate', '税率%'),
      ref('FStockID', '仓库', 'BD_STOCK'),
      text('FLot', '批号'),
      ref('FOwnerID', '货主'),
      text('FEntrynote', '备注'),
    ]), required: true },
  ],
};

export const FORMS: FormDef[] = [BD_CUSTOMER, SAL_OUTSTOCK];

export function findForm(formId: string): FormDef | undefined {
  const u = formId.trim().toUpperCase();
  return FORMS.find((f) => f.formId.toUpperCase() === u);
}

/** System fields every form answers in queries. */
export const SYSTEM_FIELDS = ['FDocumentStatus', 'FForbidStatus', 'FCreateDate', 'FModifyDate'] as const;

export interface FieldIndex {
  header: Map<string, FieldDef>;
  entry?: { def: FieldDef; children: Map<string, FieldDef> };
}

const indexCache = new Map<string, FieldIndex>();

/** Lower-case key → definition, for the header and (if any) the first entry with declared children. */
export function fieldIndex(form: FormDef): FieldIndex {
  const cached = indexCache.get(form.formId);
  if (cached) return cached;
  const header = new Map(form.fields.map((f) => [f.key.toLowerCase(), f]));
  const entryDef = form.fields.find((f) => f.kind === 'entry' && f.children);
  const idx: FieldIndex = { header };
  if (entryDef?.children) idx.entry = { def: entryDef, children: new Map(entryDef.children.map((c) => [c.key.toLowerCase(), c])) };
  indexCache.set(form.formId, idx);
  return idx;
}

export const STATUS_NAMES: Record<string, string> = { Z: '暂存', A: '创建', B: '审核中', C: '已审核', D: '重新审核' };
