/** Record types whose DSN status code is counted per code (the insight rollups' 'dsn' entries). */
export const DSN_RECORD_TYPES = ['t', 'b', 'rb'] as const;

const CODE = /^\s*(\d\.\d{1,3}\.\d{1,3})(?![\d.])/;

/** The enhanced status code (X.Y.Z) at the start of a dsnStatus such as `5.7.1 (delivery not authorized)`; '' if none. */
export function dsnCode(status: string | null): string {
  if (!status) return '';
  return CODE.exec(status)?.[1] ?? '';
}
