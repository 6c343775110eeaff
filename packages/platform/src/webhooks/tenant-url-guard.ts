/**
 * Tenants choose URLs the platform calls: their webhook endpoint, WABA and phone-number callback
 * overrides (the verification handshake, then every delivery). Left open, that lets a tenant make
 * the platform reach what only the platform can reach — a cloud metadata endpoint
 * (169.254.169.254), PostgreSQL or an admin port on loopback, the operator's private network —
 * and read the answer back from the delivery log (server-side request forgery).
 *
 * So every connection to a tenant's URL goes through an undici Agent whose connector checks the
 * address it actually connects to: an IP literal before connecting, a name after DNS — every
 * address the name resolves to, at each new connection, so a name that resolves (or later
 * re-resolves) to a private address is refused too. Refused: loopback, private (RFC 1918, unique
 * local), link-local, shared (CGNAT), multicast, documentation, benchmarking and other
 * special-purpose ranges, IPv4-mapped, NAT64 and 6to4 forms of them included. The operator may
 * allow networks (SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS, CIDRs): receivers inside a private
 * network, or loopback in development, where `switchboard dev` allows it. Public addresses are
 * reached over https only, with the certificate verified, as Meta requires of callback URLs;
 * plain http only reaches networks the operator allows.
 *
 * @example
 *   const guard = new TenantUrlGuard(['10.20.0.0/16']);
 *   const agent = guardedAgent(guard, { keepAliveTimeout: 10_000 });
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';

/** Special-purpose and non-public ranges (IANA's IPv4 and IPv6 special-purpose registries). */
const NOT_PUBLIC_V4 = [
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24',
  '192.0.2.0/24', '192.88.99.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24',
  '224.0.0.0/4', '240.0.0.0/4',
];
const NOT_PUBLIC_V6 = [
  '::/128', '::1/128', '100::/64', '2001::/32', '2001:db8::/32', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8',
];

/** An address whose last 32 bits are an IPv4 address a v4 rule must judge: IPv4-mapped, NAT64. */
const EMBEDDED_V4 = [
  { prefix: '::ffff:0:0', bits: 96 },
  { prefix: '64:ff9b::', bits: 96 },
  { prefix: '64:ff9b:1::', bits: 48 },
];

/** Loopback, IPv4 and IPv6: what development and tests allow, their receivers being on this machine. */
export const LOOPBACK_NETWORKS: readonly string[] = ['127.0.0.0/8', '::1/128'];

export class NotPublicAddressError extends Error {
  readonly code = 'ESWITCHBOARD_NOT_PUBLIC';

  constructor(host: string, address: string) {
    super(`${host === address ? address : `${host} resolves to ${address}, which`} is not a public address; the platform does not call loopback, private or reserved networks`);
    this.name = 'NotPublicAddressError';
  }
}

/** A CIDR as the operator writes it ("10.0.0.0/8", "::1/128", a bare address): throws if it is not one. */
export function parseNetwork(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', prefixText, extra] = text.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) throw new Error(`"${text}" is not an address or CIDR network`);
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? String(max)) || prefix > max) throw new Error(`"${text}" has a prefix length outside 0-${max}`);
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

function blockListOf(networks: readonly string[]): BlockList {
  const list = new BlockList();
  for (const n of networks) {
    const { address, prefix, family } = parseNetwork(n);
    list.addSubnet(address, prefix, family);
  }
  return list;
}

const notPublic = blockListOf([...NOT_PUBLIC_V4, ...NOT_PUBLIC_V6]);
const embeddingV4 = EMBEDDED_V4.map(({ prefix, bits }) => blockListOf([`${prefix}/${bits}`]));

/** The IPv4 address carried in the last 32 bits of an IPv4-mapped or NAT64 IPv6 address. */
function embeddedV4(address: string): string | undefined {
  if (!embeddingV4.some((list) => list.check(address, 'ipv6'))) return undefined;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) return dotted[1];
  const groups = expandV6(address);
  const hi = groups[6]!;
  const lo = groups[7]!;
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

function expandV6(address: string): number[] {
  const [head = '', tail = ''] = address.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = parse(head);
  const right = address.includes('::') ? parse(tail) : [];
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

export class TenantUrlGuard {
  readonly #allowed: BlockList;

  /** @param allowedNetworks networks the operator allows although they are not public (CIDRs). */
  constructor(allowedNetworks: readonly string[] = []) {
    this.#allowed = blockListOf(allowedNetworks);
  }

  /**
   * Whether the platform may connect to this IP address for a tenant: over https, a public
   * address or one the operator allows; over plain http (`plain`), only one the operator allows.
   */
  allows(address: string, plain = false): boolean {
    const version = isIP(address);
    if (version === 0) return false;
    const family = version === 4 ? 'ipv4' : 'ipv6';
    if (this.#allowed.check(address, family)) return true;
    if (version === 6) {
      const v4 = embeddedV4(address);
      if (v4 !== undefined) return this.allows(v4, plain);
      // 6to4 (2002::/16) carries an IPv4 address in bits 16-47.
      const groups = expandV6(address);
      if (groups[0] === 0x2002) return this.allows([groups[1]! >> 8, groups[1]! & 0xff, groups[2]! >> 8, groups[2]! & 0xff].join('.'), plain);
    }
    return !plain && !notPublic.check(address, family);
  }

  #refusal(host: string, address: string, plain: boolean): Error | undefined {
    if (this.allows(address, plain)) return undefined;
    return plain && this.allows(address) ? new PlainHttpError(host) : new NotPublicAddressError(host, address);
  }

  /** dns.lookup for `plain` http or https, failing when any address of the name is refused. */
  lookupFor(plain: boolean): LookupFunction {
    return (hostname, options, callback) => {
      dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
        if (err) return callback(err, '', 0);
        for (const a of addresses) {
          const refused = this.#refusal(hostname, a.address, plain);
          if (refused) return callback(refused, '', 0);
        }
        if (options.all) return callback(null, addresses);
        const first = addresses[0]!;
        return callback(null, first.address, first.family);
      });
    };
  }

  /** The refusal of an IP-literal host, before connecting (names are judged by lookupFor). */
  refusalOf(hostname: string, plain: boolean): Error | undefined {
    const host = hostname.replace(/^\[|\]$/g, '');
    return isIP(host) !== 0 ? this.#refusal(host, host, plain) : undefined;
  }
}

/**
 * Plain http to a public address: tenants' payloads carry users' messages, so they travel over
 * TLS, as Meta requires of callback URLs ("HTTPS with a valid CA certificate"); plain http is
 * for receivers inside networks the operator allows.
 */
export class PlainHttpError extends Error {
  readonly code = 'ESWITCHBOARD_PLAIN_HTTP';

  constructor(host: string) {
    super(`http://${host} is not allowed: use https (plain http only reaches networks the operator allows)`);
    this.name = 'PlainHttpError';
  }
}

/** An undici Agent that connects only where the guard allows; certificates are verified (undici's default). */
export function guardedAgent(guard: TenantUrlGuard, options: { keepAliveTimeout?: number; connectTimeoutMs?: number } = {}): Agent {
  const timeout = options.connectTimeoutMs ?? 10_000;
  const secure = buildConnector({ timeout, lookup: guard.lookupFor(false) });
  const plain = buildConnector({ timeout, lookup: guard.lookupFor(true) });
  return new Agent({
    ...(options.keepAliveTimeout !== undefined ? { keepAliveTimeout: options.keepAliveTimeout } : {}),
    connect(opts, callback) {
      const isPlain = opts.protocol !== 'https:';
      const refused = guard.refusalOf(opts.hostname, isPlain);
      if (refused) {
        callback(refused, null);
        return;
      }
      (isPlain ? plain : secure)(opts, callback);
    },
  });
}
