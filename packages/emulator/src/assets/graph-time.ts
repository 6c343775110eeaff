/** Graph API timestamps: ISO 8601 with a "+0000" offset and no milliseconds ("2023-08-22T19:05:53+0000"). */
export function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
