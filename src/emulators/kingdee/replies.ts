/**
 * Reply shapes (reference §4). The emulator emits real booleans and numbers (as captured replies do);
 * ErrorCode/MsgCode on success are 0 (the reference leaves it open; documented choice).
 */

export interface EmuError {
  FieldName: string | null;
  Message: string;
  DIndex: number;
  /** MsgCode this error stands for (not sent per row; the reply's MsgCode is the first error's). */
  code: number;
}

export interface EmuSuccess {
  Id: string;
  Number: string;
  DIndex: number;
}

export interface ResponseStatusJson {
  ErrorCode: number;
  IsSuccess: boolean;
  Errors: { FieldName: string | null; Message: string; DIndex: number }[];
  SuccessEntitys: EmuSuccess[];
  SuccessMessages: { FieldName: string; Message: string; DIndex: number }[];
  MsgCode: number;
}

export function responseStatus(successes: EmuSuccess[], errors: EmuError[]): ResponseStatusJson {
  const ok = errors.length === 0;
  return {
    ErrorCode: ok ? 0 : 500,
    IsSuccess: ok,
    Errors: errors.map((e) => ({ FieldName: e.FieldName, Message: e.Message, DIndex: e.DIndex })),
    SuccessEntitys: successes,
    SuccessMessages: [],
    MsgCode: ok ? 0 : (errors[0]?.code ?? 11),
  };
}

/** A whole-call failure in the operation reply shape. */
export function failure(code: number, message: string, fieldName: string | null = null): { Result: { ResponseStatus: ResponseStatusJson } } {
  return { Result: { ResponseStatus: responseStatus([], [{ FieldName: fieldName, Message: message, DIndex: 0, code }]) } };
}

/** ExecuteBillQuery wraps its errors as `[[{"Result":{"ResponseStatus":…}}]]` (reference §4). */
export function queryFailure(code: number, message: string): unknown {
  return [[failure(code, message)]];
}

/** The real lost-session fixture (reference §4). */
export const SESSION_LOST_MESSAGE = '会话信息已丢失，请重新登录';
export function sessionLost(): unknown {
  return failure(1, SESSION_LOST_MESSAGE);
}

export const CALL_LIMIT_MESSAGE = '调用限制：接口调用过于频繁，请稍后再试';

/** IIS-style HTML error pages (what a real server in front of K3Cloud sends on crashes and overload). */
export function iisErrorPage(status: number): string {
  if (status === 503) {
    return (
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN""http://www.w3.org/TR/html4/strict.dtd">\r\n' +
      '<HTML><HEAD><TITLE>Service Unavailable</TITLE>\r\n<META HTTP-EQUIV="Content-Type" Content="text/html; charset=us-ascii"></HEAD>\r\n' +
      '<BODY><h2>Service Unavailable</h2>\r\n<hr><p>HTTP Error 503. The service is unavailable.</p>\r\n</BODY></HTML>\r\n'
    );
  }
  const title = status === 502 ? '502 - Web server received an invalid response while acting as a gateway or proxy server.' : `${status} - Internal server error.`;
  return (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n' +
    '<html xmlns="http://www.w3.org/1999/xhtml">\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>\r\n' +
    `<title>${status} - Internal server error.</title>\r\n</head>\r\n<body>\r\n<div id="header"><h1>Server Error</h1></div>\r\n` +
    `<div id="content">\r\n <div class="content-container"><fieldset>\r\n  <h2>${title}</h2>\r\n` +
    '  <h3>There is a problem with the resource you are looking for, and it cannot be displayed.</h3>\r\n </fieldset></div>\r\n</div>\r\n</body>\r\n</html>\r\n'
  );
}

export interface LoginInfo {
  sid: string;
  acctId: string;
  username: string;
  userId: number;
  lcid: number;
  orgName: string;
}

/** LoginResult (reference §3a). LoginResultType 1 = success. */
export function loginResult(info: LoginInfo): Record<string, unknown> {
  return {
    Message: null,
    MessageCode: 'CheckPasswordPolicy',
    LoginResultType: 1,
    Context: {
      UserLocale: info.lcid === 1033 ? 'en-US' : info.lcid === 3076 ? 'zh-TW' : 'zh-CN',
      LogLocale: 'zh-CN',
      DBid: info.acctId,
      DatabaseType: 3,
      SessionId: info.sid,
      UserId: info.userId,
      UserName: info.username,
      CustomName: 'ferry emulator',
      DisplayVersion: '8.2.0',
      DataCenterName: 'ferry 模拟账套',
      UserToken: info.sid,
      CurrentOrganizationInfo: { ID: 1, AcctOrgType: '1', Name: info.orgName },
    },
    KDSVCSessionId: info.sid,
    FormId: null,
    RedirectFormParam: null,
    FormInputObject: null,
    ErrorStackTrace: null,
    Lcid: 0,
    AccessToken: null,
    CustomParam: '',
    KdAccessResult: null,
    IsSuccessByAPI: true,
  };
}

export function loginRefused(type: number, message: string): Record<string, unknown> {
  return { Message: message, MessageCode: null, LoginResultType: type, Context: null, KDSVCSessionId: null, IsSuccessByAPI: false };
}
