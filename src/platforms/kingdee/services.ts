/**
 * Service paths and operation names (reference §1). Every service is POSTed to
 * `<baseUrl><ServiceName>.common.kdsvc`. Scheme api names are matched case-insensitively
 * (`batchSave`, `BatchSave`), as the server itself does.
 */

const AUTH = 'Kingdee.BOS.WebApi.ServicesStub.AuthService.';
const FORM = 'Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.';

/** Canonical spelling of every DynamicFormService operation this profile sends. */
export const FORM_OPERATIONS = [
  'Save',
  'BatchSave',
  'Draft',
  'Submit',
  'Audit',
  'UnAudit',
  'Delete',
  'View',
  'ExcuteOperation',
  'ExecuteBillQuery',
  'BillQuery',
  'Allocate',
  'CancelAllocate',
  'Push',
] as const;
export type FormOperation = (typeof FORM_OPERATIONS)[number];

export const LOGIN_SERVICES = {
  password: 'ValidateUser',
  appSecret: 'LoginByAppSecret',
  sign: 'LoginBySign',
} as const;
export type LoginService = (typeof LOGIN_SERVICES)[keyof typeof LOGIN_SERVICES] | 'Logout';

const byLower = new Map<string, FormOperation>(FORM_OPERATIONS.map((op) => [op.toLowerCase(), op]));
// Common aliases seen in schemes: the seed's `batchArraySave` operation method, "ExecuteOperation" spelled right.
byLower.set('batcharraysave', 'BatchSave');
byLower.set('executeoperation', 'ExcuteOperation');
byLower.set('query', 'ExecuteBillQuery');

/** Canonical operation for a scheme api name, or undefined when it is not a DynamicFormService operation. */
export function canonicalOperation(name: string): FormOperation | undefined {
  return byLower.get(name.trim().toLowerCase());
}

export function formServiceName(op: FormOperation): string {
  return `${FORM}${op}`;
}

export function authServiceName(op: LoginService): string {
  return `${AUTH}${op}`;
}

export function serviceUrl(baseUrl: string, serviceName: string): string {
  return `${baseUrl}${serviceName}.common.kdsvc`;
}

/** Path part of a service URL, used as the `endpoint` of call events (no host, no secrets). */
export function servicePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}
