import { describe, expect, it } from 'vitest';
import { watchList, type WatchPoint } from '../../src/core/watch.ts';

const p = (pipeline: number, revenue: number, grossMargin: number, signals: string[] = []): WatchPoint => ({ pipeline, revenue, grossMargin, signals });

describe('watchList', () => {
  it('goals behind, momentum, a rising pipeline with no won revenue, margin falling three snapshots running, retention risk newly given', () => {
    const points = [p(100, 0, 0.4), p(200, 0, 0.38), p(300, Number.NaN, 0.36), p(400, 0, 0.34, ['retention_risk'])];
    expect(
      watchList(points, { signals: ['falling'], slope: -2.5 }, [
        { metric: 'revenue', status: 'behind' },
        { metric: 'pipeline', status: 'on_track' },
      ]),
    ).toEqual([
      { code: 'goal_behind', metric: 'revenue', status: 'behind' },
      { code: 'falling', slope: -2.5 },
      { code: 'pipeline_without_revenue', from: 300, to: 400 },
      { code: 'margin_falling', values: [0.4, 0.38, 0.36, 0.34] },
      { code: 'retention_risk_new' },
    ]);
  });
  it('nothing when revenue was won, margin fell only twice running, the risk was there before, or the account is absent now', () => {
    expect(
      watchList([p(100, 5, 0.4), p(200, 5, 0.41, ['retention_risk']), p(300, 5, 0.38, ['retention_risk']), p(400, 5, 0.36, ['retention_risk'])], undefined, []),
    ).toEqual([]);
    expect(watchList([p(100, 0, 0.4), undefined], undefined, [])).toEqual([]);
    // A gap breaks the run: margins are read back to the first missing value.
    expect(watchList([p(1, 1, 0.5), p(1, 1, Number.NaN), p(1, 1, 0.4), p(1, 1, 0.3)], undefined, [])).toEqual([]);
  });
});
