/** Recognising PostgreSQL locations and masking their password, without loading the driver. */

/** True for a `postgresql://` or `postgres://` URL. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location.trim());
}

/** The URL with its password (if any) replaced by `***`: safe for logs, errors and output. */
export function maskPassword(location: string): string {
  return location.replace(/^(postgres(?:ql)?:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@');
}

/** Replaces every occurrence of `secret` in `text` (an error message quoting it, say). */
export function scrub(text: string, secret: string | undefined): string {
  return secret === undefined || secret === '' ? text : text.split(secret).join('***');
}
