import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './read-config.js';
import { port, postgresUrl, positiveInt } from './parsers.js';

const spec = {
  PORT: { parse: port, default: '3000', description: 'HTTP port' },
  DATABASE_URL: { parse: postgresUrl, optional: true, description: 'PostgreSQL URL' },
  WORKERS: { parse: positiveInt, description: 'worker count' },
};

describe('readConfig', () => {
  it('applies defaults and parses values', () => {
    const cfg = readConfig(spec, { WORKERS: '4' });
    expect(cfg).toEqual({ PORT: 3000, DATABASE_URL: undefined, WORKERS: 4 });
  });

  it('reports every problem at once, naming each variable', () => {
    try {
      readConfig(spec, { PORT: 'abc', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toHaveLength(3);
      expect(problems[0]).toMatch(/^PORT="abc" is invalid/);
      expect(problems[1]).toMatch(/^DATABASE_URL="mysql:\/\/x" is invalid: expected a postgres/);
      expect(problems[2]).toMatch(/^WORKERS is required/);
    }
  });

  it('rejects malformed database URLs', () => {
    for (const bad of ['not a url', 'postgres://', 'postgres://host', 'http://host/db']) {
      expect(() => postgresUrl(bad), bad).toThrow();
    }
    expect(postgresUrl('postgres://u:p@localhost:5432/db')).toBe('postgres://u:p@localhost:5432/db');
  });

  it('rejects out-of-range ports', () => {
    expect(() => port('65536')).toThrow();
    expect(() => port('-1')).toThrow();
    expect(port('0')).toBe(0);
  });
});
