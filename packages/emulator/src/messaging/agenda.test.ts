import { describe, expect, it } from 'vitest';
import { VirtualClock } from '@switchboard/runtime';
import { Agenda } from './agenda.js';

describe('Agenda', () => {
  it('runs entries in time order with the time they were due, on one clock timer', () => {
    const clock = new VirtualClock({ frozen: true, startMs: 0 });
    const agenda = new Agenda(clock, (err) => {
      throw err;
    });
    const ran: Array<[string, number]> = [];
    for (const [name, at] of [['c', 300], ['a', 100], ['b', 200], ['a2', 100]] as const) agenda.at(at, (t) => ran.push([name, t]));
    expect(clock.pending).toBe(1);
    clock.advance(250);
    expect(ran).toEqual([['a', 100], ['a2', 100], ['b', 200]]);
    agenda.at(260, (t) => {
      ran.push(['d', t]);
      agenda.at(270, (u) => ran.push(['e', u]));
    });
    clock.advance(1_000);
    expect(ran.slice(3)).toEqual([['d', 260], ['e', 270], ['c', 300]]);
    expect(agenda.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('keeps going when an entry throws, and forgets everything on clear', () => {
    const clock = new VirtualClock({ frozen: true, startMs: 0 });
    const errors: unknown[] = [];
    const agenda = new Agenda(clock, (err) => errors.push(err));
    const ran: number[] = [];
    agenda.at(1, () => {
      throw new Error('boom');
    });
    agenda.at(2, (t) => ran.push(t));
    agenda.at(5, (t) => ran.push(t));
    clock.advance(3);
    expect(errors).toHaveLength(1);
    expect(ran).toEqual([2]);
    agenda.clear();
    clock.advance(10);
    expect(ran).toEqual([2]);
    expect(clock.pending).toBe(0);
  });

  it('orders thousands of random entries like a sort would', () => {
    const clock = new VirtualClock({ frozen: true, startMs: 0 });
    const agenda = new Agenda(clock, () => undefined);
    const times = Array.from({ length: 5_000 }, () => Math.floor(Math.random() * 10_000));
    const ran: number[] = [];
    for (const t of times) agenda.at(t, (at) => ran.push(at));
    clock.advance(10_000);
    expect(ran).toEqual([...times].sort((a, b) => a - b));
  });
});
