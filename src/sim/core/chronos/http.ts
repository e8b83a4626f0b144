// The Chronos 3.0.1 HTTP API (JAX-RS resources under /v1/scheduler) plus /ping, /metrics and
// the web UI at /. Bodies, status codes and messages follow shared/specs section A.
import { Hono, type Context } from 'hono';
import { formatInstant, invalidScheduleMessage, parseSchedule } from './iso8601.ts';
import {
  INVALID_NAME_MESSAGE,
  type Job,
  JobInputError,
  isValidJobName,
  javaException,
  readJob,
  requirementFailed,
  writeJob,
} from './model.ts';
import { type ChronosScheduler, lastState } from './scheduler.ts';
import { graphCsv, graphDot } from './graph.ts';
import { mountWebUi } from '../../web/index.ts';

type Status = 400 | 500;

function apiError(c: Context, status: Status, message: string): Response {
  const reason = status === 400 ? 'Bad Request' : 'Internal Server Error';
  return c.body(JSON.stringify({ status: reason, message }), status, { 'Content-Type': 'application/json' });
}

function json(c: Context, body: string, status: 200 = 200): Response {
  return c.body(body, status, { 'Content-Type': 'application/json' });
}

const SCHEDULED_CLASS = 'org.apache.mesos.chronos.scheduler.jobs.ScheduleBasedJob';
const DEPENDENT_CLASS = 'org.apache.mesos.chronos.scheduler.jobs.DependencyBasedJob';
/** 1970-01-01T00:00:01Z: 3.0.1 refuses new jobs starting before it (commit ed420f22). */
const EARLIEST_START = 1000;

/** Reads the request body as JSON, or answers as Jackson's provider would for a malformed one. */
async function readBody(c: Context, now: number): Promise<Job | Response> {
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch (e) {
    // Assumption: the Jackson provider's parse errors come back as 400 with the parser's text.
    return apiError(
      c,
      400,
      javaException(
        'com.fasterxml.jackson.core.JsonParseException',
        e instanceof Error ? e.message : 'invalid JSON',
      ),
    );
  }
  try {
    return readJob(raw, now);
  } catch (e) {
    if (e instanceof JobInputError) return apiError(c, e.status, e.message);
    throw e;
  }
}

function castError(from: string, to: string): string {
  return javaException('java.lang.ClassCastException', `${from} cannot be cast to ${to}`);
}

const PERCENTILES: Record<string, number | 'mean'> = {
  '99thPercentile': 0.99,
  '98thPercentile': 0.98,
  '95thPercentile': 0.95,
  '75thPercentile': 0.75,
  median: 0.5,
  mean: 'mean',
};

/** Codahale's snapshot quantile: linear interpolation on the sorted values. */
function quantile(values: number[], q: number | 'mean'): number {
  if (values.length === 0) return 0;
  if (q === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = q * (sorted.length + 1);
  if (pos < 1) return sorted[0];
  if (pos >= sorted.length) return sorted[sorted.length - 1];
  const lower = sorted[Math.floor(pos) - 1];
  const upper = sorted[Math.floor(pos)];
  return lower + (pos - Math.floor(pos)) * (upper - lower);
}

function double(n: number): string {
  const s = String(n);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

const JETTY_404 = (path: string) =>
  `<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>\n<title>Error 404 Not Found</title>\n</head>\n<body><h2>HTTP ERROR 404</h2>\n<p>Problem accessing ${path.replace(
    /[<>&"]/g,
    '',
  )}. Reason:\n<pre>    Not Found</pre></p><hr><i><small>Powered by Jetty://</small></i><hr/>\n</body>\n</html>\n`;

export function createChronosApp(scheduler: ChronosScheduler, now: () => number): Hono {
  // JAX-RS matches a path with or without a trailing slash.
  const app = new Hono({ strict: false });
  const api = new Hono({ strict: false });

  // CorsFilter
  api.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Access-Control-Allow-Origin', '*');
  });

  // The job resources @Consume application/json: Jersey answers 415 to another declared type
  // (curl -d without -H 'Content-Type: application/json' sends a form type). Assumption: a
  // request without Content-Type is let through.
  const jsonOnly = async (c: Context, next: () => Promise<void>) => {
    const type = c.req.header('content-type');
    if (type !== undefined && !/^application\/json\s*(;|$)/i.test(type.trim())) {
      return c.body(null, 415);
    }
    await next();
  };
  api.use('/iso8601', jsonOnly);
  api.use('/dependency', jsonOnly);

  api.post('/iso8601', async (c) => {
    const job = await readBody(c, now());
    if (job instanceof Response) return job;
    if (job.parents) return apiError(c, 500, castError(DEPENDENT_CLASS, SCHEDULED_CLASS));
    const schedule = job.schedule ?? '';
    const tz = job.scheduleTimeZone ?? '';
    const old = scheduler.lookup(job.name);
    if (!old) {
      if (!isValidJobName(job.name)) return apiError(c, 400, requirementFailed(INVALID_NAME_MESSAGE));
      const parsed = parseSchedule(schedule, tz, now());
      if (!parsed) return apiError(c, 400, invalidScheduleMessage(schedule));
      if (parsed.start < EARLIEST_START) {
        // Assumption: the text mirrors the 3.0.0 check it replaced ("Scheduled start date '…' is …").
        return apiError(
          c,
          400,
          `Scheduled start date '${formatInstant(parsed.start, parsed.zone)}' is before 1970-01-01T00:00:01.000Z!`,
        );
      }
      if (job.uris.length > 0 && job.fetch.length > 0) {
        return apiError(c, 400, `Tried to add both uri (deprecated) and fetch parameters on ${job.name}`);
      }
    } else if (!parseSchedule(schedule, tz, now())) {
      return apiError(c, 400, invalidScheduleMessage(schedule));
    }
    scheduler.saveJob(job);
    return c.body(null, 204);
  });

  api.post('/dependency', async (c) => {
    const job = await readBody(c, now());
    if (job instanceof Response) return job;
    if (!job.parents) return apiError(c, 500, castError(SCHEDULED_CLASS, DEPENDENT_CLASS));
    const old = scheduler.lookup(job.name);
    if (!old) {
      if (!isValidJobName(job.name)) return apiError(c, 400, requirementFailed(INVALID_NAME_MESSAGE));
      if (job.parents.length === 0) {
        return apiError(c, 500, javaException('java.lang.Exception', 'Error, parent does not exist'));
      }
      if (job.uris.length > 0 && job.fetch.length > 0) {
        return apiError(c, 400, `Tried to add both uri (deprecated) and fetch parameters on ${job.name}`);
      }
      // An unknown parent is accepted: the job is stored but stays out of the graph until the
      // parents exist (JobScheduler.registerJobs drops it on every loop).
    } else {
      if (job.parents.length === 0)
        return apiError(c, 400, requirementFailed('Error, parent does not exist'));
      if (!job.parents.every((p) => scheduler.lookup(p))) {
        return apiError(
          c,
          400,
          requirementFailed(`JobSchedule ${job.name} does not have all parents defined!`),
        );
      }
      if (scheduler.wouldCycle(job.name, job.parents)) {
        // JGraphT's DirectedAcyclicGraph refuses the edge (assumption: surfaces as a 500).
        return apiError(
          c,
          500,
          javaException('org.jgrapht.experimental.dag.DirectedAcyclicGraph$CycleFoundException', 'null'),
        );
      }
    }
    scheduler.saveJob(job);
    return c.body(null, 204);
  });

  api.get('/jobs', (c) =>
    json(
      c,
      `[${scheduler
        .visibleJobs()
        .map((j) => writeJob(j, true))
        .join(',')}]`,
    ),
  );

  api.get('/jobs/search', (c) => {
    const name = c.req.query('name')?.toLowerCase();
    const command = c.req.query('command')?.toLowerCase();
    const any = c.req.query('any')?.toLowerCase();
    const limit = intParam(c.req.query('limit'), 10);
    const offset = intParam(c.req.query('offset'), 0);
    const found = scheduler.visibleJobs().filter((j) => {
      let valid = true;
      if (name && !j.name.toLowerCase().includes(name)) valid = false;
      if (command && !j.command.toLowerCase().includes(command)) valid = false;
      if (!valid && any && (j.name.toLowerCase().includes(any) || j.command.toLowerCase().includes(any)))
        valid = true;
      return valid;
    });
    const page = found.slice(Math.max(0, offset), Math.max(0, offset) + Math.max(0, limit));
    return json(c, `[${page.map((j) => writeJob(j)).join(',')}]`);
  });

  api.get('/jobs/summary', (c) => {
    const jobs = scheduler.visibleJobs().map((j) => ({
      name: j.name,
      status: lastState(j),
      state: scheduler.currentState(j.name),
      schedule: j.parents ? '' : (j.schedule ?? ''),
      parents: j.parents ?? [],
      disabled: j.disabled,
    }));
    return json(c, JSON.stringify({ jobs }));
  });

  api.get('/job/stat/:name', (c) => {
    const name = c.req.param('name');
    if (!scheduler.lookup(name)) return apiError(c, 400, requirementFailed(`Job '${name}' not found`));
    const times = scheduler.runTimes(name);
    const h = (q: number | 'mean') => double(quantile(times, q));
    return json(
      c,
      `{"histogram":{"75thPercentile":${h(0.75)},"95thPercentile":${h(0.95)},"98thPercentile":${h(0.98)},` +
        `"99thPercentile":${h(0.99)},"median":${h(0.5)},"mean":${h('mean')},"count":${times.length}},` +
        `"taskStatHistory":[]}`,
    );
  });

  api.put('/job/success/:name', (c) => {
    const name = c.req.param('name');
    const ok = scheduler.markSuccess(name);
    return json(c, `marked job ${name} as successful: ${ok}`);
  });

  api.post('/job/:name/task/:taskId/progress', (c) => {
    const name = c.req.param('name');
    const job = scheduler.lookup(name);
    if (!job) return apiError(c, 400, requirementFailed(`JobSchedule '${name}' not found`));
    if (!/^ct:\d+:\d+:[\w.-]+/.test(c.req.param('taskId'))) {
      return apiError(c, 400, requirementFailed(`Invalid task id format ${c.req.param('taskId')}`));
    }
    if (!job.dataProcessingJobType) {
      return apiError(c, 400, requirementFailed(`JobSchedule '${name}' is not enabled to track data`));
    }
    // Progress is stored in Cassandra, which this stack does not run.
    return c.body(null, 204);
  });

  api.get('/job/:name', (c) => {
    const name = c.req.param('name');
    const job = scheduler.lookup(name);
    if (!job) return apiError(c, 400, requirementFailed(`Job '${name}' not found`));
    return json(c, writeJob(job));
  });

  api.put('/job/:name', (c) => {
    const name = c.req.param('name');
    if (!scheduler.lookup(name)) return apiError(c, 400, requirementFailed(`Job '${name}' not found`));
    scheduler.runNow(name, c.req.query('arguments'));
    return c.body(null, 204);
  });

  api.delete('/job/:name', (c) => {
    const name = c.req.param('name');
    if (!scheduler.lookup(name))
      return apiError(c, 400, requirementFailed(`JobSchedule '${name}' not found`));
    scheduler.deleteJob(name);
    return c.body(null, 204);
  });

  api.delete('/task/kill/:name', (c) => {
    const name = c.req.param('name');
    // Assumption: same wording as the other job lookups of 3.0.1.
    if (!scheduler.lookup(name))
      return apiError(c, 400, requirementFailed(`JobSchedule '${name}' not found`));
    scheduler.killTasksOf(name);
    return c.body(null, 204);
  });

  api.get('/graph/dot', (c) => c.text(graphDot(scheduler.visibleJobs())));
  api.get('/graph/csv', (c) =>
    c.text(
      graphCsv(
        scheduler.visibleJobs(),
        (j) => lastState(j),
        (j) => scheduler.currentState(j.name),
      ),
    ),
  );

  api.get('/stats/:percentile', (c) => {
    const q = PERCENTILES[c.req.param('percentile')];
    if (q === undefined) return json(c, '[]');
    const rows = scheduler
      .visibleJobs()
      .filter((j) => scheduler.runTimes(j.name).length > 0)
      .map((j) => ({ name: j.name, time: quantile(scheduler.runTimes(j.name), q) / 1000 }))
      .sort((a, b) => b.time - a.time);
    return json(
      c,
      `[${rows.map((r) => `{"jobNameLabel":${JSON.stringify(r.name)},"time":${double(r.time)}}`).join(',')}]`,
    );
  });

  api.get('/leader', (c) => json(c, JSON.stringify({ leader: scheduler.leader })));

  // Jersey: a known path with another method is 405, an unknown one 404, both without a body.
  api.all('*', (c) => {
    const path = c.req.path.replace(/^\/v1\/scheduler/, '');
    const known =
      /^\/(iso8601|dependency|jobs|jobs\/search|jobs\/summary|leader|graph\/(dot|csv))\/?$/.test(path) ||
      /^\/(job|job\/stat|job\/success|task\/kill|stats)\/[^/]+\/?$/.test(path);
    return c.body(null, known ? 405 : 404);
  });

  app.route('/v1/scheduler', api);

  app.get('/ping', (c) =>
    c.body('pong\n', 200, {
      'Content-Type': 'text/plain',
      'Cache-Control': 'must-revalidate,no-cache,no-store',
    }),
  );

  app.get('/metrics', (c) => {
    const jobs = scheduler.visibleJobs();
    const metrics = {
      version: '3.0.0',
      gauges: {
        'org.apache.mesos.chronos.scheduler.jobs.JobScheduler.jobs': { value: jobs.length },
        'org.apache.mesos.chronos.scheduler.jobs.TaskManager.queueSize': { value: scheduler.queued().length },
      },
      counters: {},
      histograms: {},
      meters: {},
      timers: {},
    };
    return c.body(JSON.stringify(metrics), 200, {
      'Content-Type': 'application/json',
      'Cache-Control': 'must-revalidate,no-cache,no-store',
    });
  });

  mountWebUi(app, 'chronos');

  app.all('*', (c) => c.body(JETTY_404(c.req.path), 404, { 'Content-Type': 'text/html;charset=ISO-8859-1' }));

  return app;
}

function intParam(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  return Number.isInteger(n) ? n : fallback;
}
