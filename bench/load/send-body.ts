/**
 * The request every benchmark sends: a Cloud API template send of the fixtures' approved
 * `order_confirmation` template, to a recipient of its own (so no pair rate is ever involved), as
 * a tenant's SDK would send it. Built by string concatenation: the generator shares the machine
 * with the servers it measures, so its own cost per request is kept small.
 */
export function sendBody(recipient: string, tag: string): string {
  return (
    '{"messaging_product":"whatsapp","recipient_type":"individual","to":"' +
    recipient +
    '","type":"template","template":{"name":"order_confirmation","language":{"code":"en_US"},"components":[{"type":"body","parameters":[{"type":"text","text":"Bench"},{"type":"text","text":"' +
    tag +
    '"}]}]}}'
  );
}

/**
 * A distinct, possible US number per (block, n): "1" + a 10-digit national number from
 * 2000000000 up, 10 million numbers per block (blocks 0 to 799), so jobs never share recipients.
 */
export function recipientFor(block: number, n: number): string {
  return `1${2_000_000_000 + block * 10_000_000 + (n % 10_000_000)}`;
}
