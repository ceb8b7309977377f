/** The project knowledge's clock: still during a run of back-to-back lints, real time after a pause. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isFresh, projectClock, setRefreshInterval } from '../../../src/core/project/refresh.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['performance'] });
  setRefreshInterval(1000);
});

afterEach(() => {
  vi.useRealTimers();
  setRefreshInterval(0);
});

describe('projectClock', () => {
  it('stands still while files are linted back to back, so a run checks the disk once', () => {
    const start = projectClock();
    for (let i = 0; i < 50; i++) {
      vi.advanceTimersByTime(100);
      expect(projectClock()).toBe(start);
    }
    // Five seconds of linting later, what was checked at the start is still trusted.
    expect(isFresh(start, projectClock())).toBe(true);
  });

  it('moves on after a pause, so the next lint checks again what is older than the interval', () => {
    const checked = projectClock();
    vi.advanceTimersByTime(1500);
    const after = projectClock();
    expect(after - checked).toBe(1500);
    expect(isFresh(checked, after)).toBe(false);
  });

  it('trusts an entry for the refresh interval after a pause', () => {
    const checked = projectClock();
    vi.advanceTimersByTime(600);
    expect(isFresh(checked, projectClock())).toBe(true);
  });

  it('moves on during a long run after ten seconds at the latest', () => {
    const start = projectClock();
    for (let i = 0; i < 120; i++) vi.advanceTimersByTime(100);
    expect(projectClock()).toBeGreaterThan(start + 10_000);
  });

  it('is real time when the interval is 0 (every change seen at once)', () => {
    setRefreshInterval(0);
    const a = projectClock();
    vi.advanceTimersByTime(1);
    expect(projectClock()).toBe(a + 1);
  });
});
