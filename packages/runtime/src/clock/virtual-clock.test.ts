import { describe, expect, it } from 'vitest';
import { VirtualClock } from './virtual-clock.js';

describe('VirtualClock', () => {
  it('stands still when frozen and fires timers in due order on advance', () => {
    const clock = new VirtualClock({ frozen: true, startMs: 1_000 });
    const fired: string[] = [];
    clock.at(3_000, () => fired.push('b'));
    clock.at(2_000, () => fired.push('a'));
    clock.at(3_000, () => fired.push('c'));
    expect(clock.now()).toBe(1_000);
    clock.advance(1_500);
    expect(fired).toEqual(['a']);
    clock.advance(500);
    expect(fired).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(3_000);
  });

  it('runs timers scheduled by timers when they are already due', () => {
    const clock = new VirtualClock({ frozen: true, startMs: 0 });
    const fired: number[] = [];
    clock.at(10, () => {
      fired.push(clock.now());
      clock.at(20, () => fired.push(clock.now()));
    });
    clock.advance(100);
    expect(fired).toEqual([100, 100]);
  });

  it('fires a timer set for a time already passed without waiting for an advance, frozen', async () => {
    const clock = new VirtualClock({ frozen: true, startMs: 1_000 });
    const fired: number[] = [];
    clock.at(1_000, () => fired.push(clock.now()));
    clock.at(500, () => fired.push(clock.now()));
    clock.at(1_001, () => fired.push(-1));
    expect(fired).toEqual([]); // not inside at()
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toEqual([1_000, 1_000]);
    expect(clock.pending).toBe(1);
  });

  it('cancels a timer', () => {
    const clock = new VirtualClock({ frozen: true, startMs: 0 });
    let fired = false;
    const cancel = clock.at(10, () => (fired = true));
    cancel();
    clock.advance(20);
    expect(fired).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('refuses to go backwards', () => {
    expect(() => new VirtualClock().advance(-1)).toThrow(RangeError);
  });
});
