import { LABEL_NAMES, type LabelName } from '../labels';

/**
 * Prometheus metrics, written by hand: four series families do not justify a dependency, and the
 * text format (https://prometheus.io/docs/instrumenting/exposition_formats/) is simple.
 * Counters live in this process only; each replica behind a load balancer is scraped on its own.
 */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  private readonly flags = new Map<LabelName, number>(LABEL_NAMES.map((l) => [l, 0]));
  private comments = 0;
  private readonly reloads = { ok: 0, failed: 0 };
  private modelVersion = '';
  private modelDir = '';
  private readonly started = Date.now();

  setModel(version: string, dir: string): void {
    this.modelVersion = version;
    this.modelDir = dir;
  }

  reloaded(ok: boolean): void {
    this.reloads[ok ? 'ok' : 'failed']++;
  }

  /** One finished request: route is the route pattern (never the raw URL, which clients choose). */
  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method}\u0000${route}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(route);
    if (!h) this.latency.set(route, (h = { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < LATENCY_BUCKETS.length; i++) if (seconds <= LATENCY_BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  /** Comments scored and the labels flagged among them. */
  scored(flags: readonly (readonly LabelName[])[]): void {
    this.comments += flags.length;
    for (const f of flags) for (const l of f) this.flags.set(l, (this.flags.get(l) ?? 0) + 1);
  }

  render(): string {
    const out: string[] = [];
    out.push('# HELP btl_http_requests_total HTTP requests answered, by method, route and status.');
    out.push('# TYPE btl_http_requests_total counter');
    for (const [key, n] of [...this.requests].sort()) {
      const [method, route, status] = key.split('\u0000');
      out.push(`btl_http_requests_total{method="${esc(method)}",route="${esc(route)}",status="${status}"} ${n}`);
    }
    out.push('# HELP btl_http_request_duration_seconds Time from request received to response sent, by route.');
    out.push('# TYPE btl_http_request_duration_seconds histogram');
    for (const [route, h] of [...this.latency].sort()) {
      const r = esc(route);
      LATENCY_BUCKETS.forEach((b, i) => out.push(`btl_http_request_duration_seconds_bucket{route="${r}",le="${b}"} ${h.counts[i]}`));
      out.push(`btl_http_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}`);
      out.push(`btl_http_request_duration_seconds_sum{route="${r}"} ${h.sum}`);
      out.push(`btl_http_request_duration_seconds_count{route="${r}"} ${h.count}`);
    }
    out.push('# HELP btl_comments_scored_total Comments scored, over every route.');
    out.push('# TYPE btl_comments_scored_total counter');
    out.push(`btl_comments_scored_total ${this.comments}`);
    out.push("# HELP btl_flags_total Comments flagged, by label (at the model's or the request's threshold).");
    out.push('# TYPE btl_flags_total counter');
    for (const [label, n] of this.flags) out.push(`btl_flags_total{label="${label}"} ${n}`);
    out.push('# HELP btl_model_info The model in service (value is always 1).');
    out.push('# TYPE btl_model_info gauge');
    out.push(`btl_model_info{version="${esc(this.modelVersion)}",dir="${esc(this.modelDir)}"} 1`);
    out.push('# HELP btl_model_reloads_total Model reloads (SIGHUP), by result.');
    out.push('# TYPE btl_model_reloads_total counter');
    out.push(`btl_model_reloads_total{result="ok"} ${this.reloads.ok}`);
    out.push(`btl_model_reloads_total{result="failed"} ${this.reloads.failed}`);
    out.push('# HELP btl_process_start_time_seconds Start time of the process since the Unix epoch.');
    out.push('# TYPE btl_process_start_time_seconds gauge');
    out.push(`btl_process_start_time_seconds ${Math.floor(this.started / 1000)}`);
    return out.join('\n') + '\n';
  }
}

/** Label values escaped as the exposition format requires. */
function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
