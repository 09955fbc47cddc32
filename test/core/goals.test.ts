import { describe, expect, it } from 'vitest';
import { evaluateGoal, goalProgress, type Goal, type GoalObservation } from '../../src/core/goals.ts';

/** Day numbers: 0 = the goal's start; a goal from 100 to 200 due on day 100. */
const GOAL: Goal = { target: 200, due: 100, set: undefined, baseline: undefined };
const obs = (date: number, value: number | string | undefined, shortlisted = true, present = true): GoalObservation => ({ date, present, value, shortlisted });

describe('evaluateGoal: every status at fixed dates', () => {
  it('done: the target is reached, whatever the date', () => {
    expect(evaluateGoal(GOAL, [obs(0, 100), obs(50, 200)], 50).status).toBe('done');
    expect(evaluateGoal(GOAL, [obs(0, 100), obs(50, 210)], 150).status).toBe('done');
  });
  it('on track: at or above the straight line from baseline to target; behind: below it', () => {
    // Day 50 of 100: the line is at 150. 150 is on it, 149 below it.
    const onTrack = evaluateGoal(GOAL, [obs(0, 100), obs(50, 150)], 50);
    expect([onTrack.status, onTrack.progress, onTrack.expected]).toEqual(['on_track', 0.5, 0.5]);
    const behind = evaluateGoal(GOAL, [obs(0, 100), obs(50, 149)], 50);
    expect([behind.status, behind.progress, behind.expected]).toEqual(['behind', 0.49, 0.5]);
    // The same value is behind later: the line moves on with the date.
    expect(evaluateGoal(GOAL, [obs(0, 100), obs(50, 150)], 60).status).toBe('behind');
  });
  it('overdue: past the due date and not reached', () => {
    expect(evaluateGoal(GOAL, [obs(0, 100), obs(50, 190)], 101).status).toBe('overdue');
  });
  it('no data: no value for the metric, or the account in no snapshot', () => {
    expect(evaluateGoal(GOAL, [obs(0, undefined), obs(50, undefined)], 50).status).toBe('no_data');
    expect(evaluateGoal(GOAL, [obs(0, undefined, false, false)], 50).status).toBe('no_data');
  });
  it('account gone: in an earlier snapshot, not in the latest; it had left the shortlist', () => {
    const e = evaluateGoal(GOAL, [obs(0, 100), obs(50, undefined, false, false)], 50);
    expect([e.status, e.leftShortlist]).toEqual(['account_gone', true]);
  });
  it('a falling target (cut churn) runs the same line downwards; a baseline and set date from the goals file win', () => {
    const down: Goal = { target: 0.1, due: 100, set: 0, baseline: 0.3 };
    expect(evaluateGoal(down, [obs(50, 0.2)], 50).status).toBe('on_track');
    expect(evaluateGoal(down, [obs(50, 0.21)], 50).status).toBe('behind');
    // Baseline = first snapshot on or after `set`.
    const late: Goal = { ...GOAL, set: 40 };
    expect(evaluateGoal(late, [obs(0, 50), obs(40, 100), obs(70, 170)], 70).baseline).toEqual({ value: 100, date: 40 });
  });
  it('a tier goal is 0 or 1 of the way: done when reached, else behind as soon as time has passed', () => {
    const tier: Goal = { target: 'Key', due: 100, set: undefined, baseline: undefined };
    expect(evaluateGoal(tier, [obs(0, 'Develop'), obs(50, 'Key')], 50).status).toBe('done');
    expect(evaluateGoal(tier, [obs(0, 'Develop'), obs(50, 'Develop')], 50).status).toBe('behind');
    expect(goalProgress('Develop', 'key', 'Key')).toBe(1);
  });
});
