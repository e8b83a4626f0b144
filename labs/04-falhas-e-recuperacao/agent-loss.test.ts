// The agent-loss measurement, on hand-made event logs.
import { describe, expect, it } from 'vitest';
import type { MarathonEvent } from '../../src/cluster/clients/index.ts';
import { analyseAgentLoss } from './lab.ts';

function status(taskId: string, host: string, taskStatus: string, timestamp: string): MarathonEvent {
  return {
    eventType: 'status_update_event',
    appId: '/web',
    taskId,
    host,
    taskStatus,
    timestamp,
  } as MarathonEvent;
}

describe('analyseAgentLoss', () => {
  const before = [
    status('web.a', 'mesos-agent-2', 'TASK_RUNNING', '2026-03-01T10:00:00.000Z'),
    status('web.b', 'mesos-agent-2', 'TASK_RUNNING', '2026-03-01T10:00:01.000Z'),
  ];

  it('counts each lost task once, even when Marathon repeats TASK_LOST while reconciling', () => {
    const events = [
      ...before,
      status('web.a', 'mesos-agent-2', 'TASK_LOST', '2026-03-01T10:02:00.000Z'),
      status('web.b', 'mesos-agent-2', 'TASK_LOST', '2026-03-01T10:02:00.100Z'),
      status('web.a', 'mesos-agent-2', 'TASK_LOST', '2026-03-01T10:02:15.000Z'),
      status('web.c', 'mesos-agent-1', 'TASK_RUNNING', '2026-03-01T10:02:03.000Z'),
      status('web.d', 'mesos-agent-1', 'TASK_RUNNING', '2026-03-01T10:02:04.500Z'),
    ];
    const a = analyseAgentLoss({ events, observations: [] }, '/web')!;
    expect(a.lost.map((e) => e.taskId)).toEqual(['web.a', 'web.b']);
    expect(a.replacements.map((e) => e.taskId)).toEqual(['web.c', 'web.d']);
    expect(a.host).toBe('mesos-agent-2');
    expect(a.seconds).toBe(4.5);
  });

  it('has no time while a lost task is not replaced yet, and nothing without a loss', () => {
    const events = [
      ...before,
      status('web.a', 'mesos-agent-2', 'TASK_LOST', '2026-03-01T10:02:00.000Z'),
      status('web.b', 'mesos-agent-2', 'TASK_LOST', '2026-03-01T10:02:00.100Z'),
      status('web.c', 'mesos-agent-1', 'TASK_RUNNING', '2026-03-01T10:02:03.000Z'),
    ];
    expect(analyseAgentLoss({ events, observations: [] }, '/web')!.seconds).toBeNaN();
    expect(analyseAgentLoss({ events: before, observations: [] }, '/web')).toBeUndefined();
  });
});
