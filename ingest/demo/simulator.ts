import type { DiagContext, DiagSpec, HostBehaviour } from './diagnostics.ts';
import { expiredStatus, noAnswer, noSuchDomain } from './diagnostics-generic.ts';
import { makeLocalPart } from './mailbox-names.ts';
import { PendingRows } from './pending-rows.ts';
import { type Prng, WeightedTable } from './prng.ts';
import {
  type AttemptOutcome,
  type Recipient,
  renderAttempt,
  renderComplaint,
  renderQueueFailure,
  renderReceived,
  renderRemote,
} from './rows.ts';
import type { IncidentIndex, World } from './world.ts';
import type { FileKind } from './write-files.ts';

export type Layout = 'full' | 'simple';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** PowerMTA `bounce-after`: a bulk sender gives up on a recipient after 12 hours. */
const BOUNCE_AFTER = 12 * HOUR;
/** Retry spacing after the n-th failed attempt (PowerMTA `retry-after` with backoff). */
const RETRY_MINUTES = [4, 10, 20, 40, 60];
/** Chance that a retry is deferred again (most deferrals clear on the next attempt). */
const REPEAT_DEFERRAL = 0.35;
/** Recipients whose mailbox stays full until expiry. */
const STICKY_QUOTA = 0.004;
/** Complaints per delivered message before provider and job multipliers. */
const COMPLAINT_RATE = 0.0012;
/** Share of generic-host deliveries that later produce a remote DSN (`rs`). */
const REMOTE_STATUS_RATE = 0.003;
/** Several recipients share one queue-level attempt, so only some of them produce a `tq` row. */
const TQ_PER_RECIPIENT = 0.5;

function toWeighted(list: HostBehaviour['deferrals']): WeightedTable<DiagSpec> {
  return new WeightedTable(
    list.map((w) => w.spec),
    list.map((w) => w.weight),
  );
}

/**
 * Plays each recipient's life (received, deferred attempts, delivered or bounced, maybe a
 * complaint or a late remote bounce) at injection time and queues its rows by time. Rows at or
 * after `end` are dropped: at the end of the window those recipients are still in the queue.
 */
export class Simulator {
  private seq = 0;
  private recipients = 0;
  private readonly ctx: DiagContext;
  private readonly deferrals = new Map<HostBehaviour, WeightedTable<DiagSpec>>();
  private readonly bounces = new Map<HostBehaviour, WeightedTable<DiagSpec>>();
  private readonly full: boolean;

  constructor(
    private readonly world: World,
    private readonly incidents: IncidentIndex,
    private readonly rng: Prng,
    layout: Layout,
    private readonly end: number,
    private readonly formatTime: (ms: number) => string,
    /** Appended to envIds so a live run never reuses the ids of the backfill before it. */
    private readonly envIdTag = '',
    /** Where planned rows wait for their time; far-future ones are kept on disk. */
    readonly pending = new PendingRows(),
  ) {
    this.full = layout === 'full';
    this.ctx = { rng, ip: '', rcpt: '', domain: '', mx: '', senderDomain: '', orig: '', time: 0 };
  }

  /** Injects one recipient whose first row is logged at `time`; returns how many rows it queued. */
  spawn(time: number): number {
    const rng = this.rng;
    this.pending.advanceTo(time);
    const before = this.pending.size;
    const job = this.world.jobs.pick(rng);
    const domain = this.world.domains.pick(rng);
    const vmta = job.vmtas[rng.int(job.vmtas.length)];
    const local = makeLocalPart(rng);
    const latency = Math.min(120_000, rng.lognormal(1500, 1));
    const queued = this.full ? time : time - latency;
    const mxIp = domain.mxIps[rng.int(domain.mxIps.length)];
    const r: Recipient = {
      rcpt: `${local}@${domain.name}`,
      orig: `bounce-${local}=${domain.ascii}@bounces.${job.brand.domain}`,
      envId: `${job.kind.slice(0, 3)}${(this.recipients++).toString(36)}${this.envIdTag}`,
      queuedText: this.formatTime(queued),
      job,
      vmta,
      domain,
      size: Math.round(rng.lognormal(job.sizeMedian, 0.35)),
      queue: `${domain.queueName}/${vmta.name}`,
      mxIp,
      dsnMta: domain.mxHost ? `${domain.mxHost} (${mxIp})` : '',
    };
    const ctx = this.ctx;
    ctx.ip = vmta.ip;
    ctx.rcpt = r.rcpt;
    ctx.domain = domain.ascii;
    ctx.mx = domain.mxHost;
    ctx.senderDomain = job.brand.domain;
    ctx.orig = r.orig;

    if (this.full) this.push(queued, 'main', 'r', renderReceived(this.formatTime(queued), r));
    this.attempt(r, this.full ? time + latency : time, queued);
    return this.pending.size - before;
  }

  private attempt(r: Recipient, firstAttempt: number, queued: number): void {
    const rng = this.rng;
    const domain = r.domain;
    const behaviour = domain.behaviour;
    const hardBounce = rng.chance(behaviour.bounceRate * r.job.bounceMult);
    const stickyQuota = !hardBounce && rng.chance(STICKY_QUOTA);
    const expireAt = queued + BOUNCE_AFTER;
    let time = firstAttempt;
    let last: AttemptOutcome | null = null;
    for (let attempt = 1; time < this.end; attempt++) {
      this.ctx.time = time;
      if (domain.health === 'typo') {
        this.emitAttempt('b', time, r, noSuchDomain, 'failed');
        return;
      }
      const incident = this.incidents.find(time, domain.host, r.vmta.pool);
      let deferral: DiagSpec | null = null;
      if (domain.health === 'dead') deferral = noAnswer;
      else if (incident && rng.chance(incident.probability)) {
        if (incident.block) {
          this.emitAttempt('b', time, r, behaviour.incidentBlock, 'failed');
          return;
        }
        deferral = behaviour.incidentDeferral;
      } else if (hardBounce) {
        this.emitAttempt('b', time, r, this.pickBounce(behaviour), 'failed');
        return;
      } else if (stickyQuota) deferral = behaviour.quota;
      else if (rng.chance(attempt === 1 ? behaviour.deferRate : REPEAT_DEFERRAL)) {
        deferral = this.pickDeferral(behaviour);
      }

      if (!deferral) {
        const delivered = time + rng.int(2000);
        const success = {
          action: 'relayed',
          status: '2.0.0 (success)',
          diag: behaviour.success(this.ctx, r.size, r.envId),
          bounceCat: '',
        };
        this.push(
          delivered,
          'main',
          'd',
          renderAttempt('d', this.formatTime(delivered), r, success, this.full),
        );
        if (this.full) this.followUp(r, delivered);
        return;
      }
      last = this.emitDeferral(time, r, deferral);
      time += RETRY_MINUTES[Math.min(attempt, RETRY_MINUTES.length) - 1] * MINUTE * (0.8 + rng.next() * 0.4);
      if (time >= expireAt) {
        const expired = {
          action: 'failed',
          status: expiredStatus,
          diag: last.diag,
          bounceCat: 'message-expired',
        };
        this.push(
          expireAt,
          'main',
          'b',
          renderAttempt('b', this.formatTime(expireAt), r, expired, this.full),
        );
        return;
      }
    }
  }

  private pickDeferral(behaviour: HostBehaviour): DiagSpec {
    let table = this.deferrals.get(behaviour);
    if (!table) {
      table = toWeighted(behaviour.deferrals);
      this.deferrals.set(behaviour, table);
    }
    return table.pick(this.rng);
  }

  private pickBounce(behaviour: HostBehaviour): DiagSpec {
    let table = this.bounces.get(behaviour);
    if (!table) {
      table = toWeighted(behaviour.bounces);
      this.bounces.set(behaviour, table);
    }
    return table.pick(this.rng);
  }

  private outcome(spec: DiagSpec, action: string): AttemptOutcome {
    let diag = spec.diag(this.ctx);
    // Benchmark files stay one record per line; only the full layout exercises multi-line fields.
    if (spec.multiline && !this.full) diag = diag.replace(/\n/g, ' ');
    return { action, status: spec.status, diag, bounceCat: spec.bounceCat };
  }

  private emitAttempt(
    type: 'b' | 't',
    time: number,
    r: Recipient,
    spec: DiagSpec,
    action: string,
  ): AttemptOutcome {
    const outcome = this.outcome(spec, action);
    const noRoute = r.domain.health === 'typo';
    const row = noRoute ? { ...r, dsnMta: '', mxIp: '' } : r;
    this.push(time, 'main', type, renderAttempt(type, this.formatTime(time), row, outcome, this.full));
    return outcome;
  }

  private emitDeferral(time: number, r: Recipient, spec: DiagSpec): AttemptOutcome {
    if (!(spec.queueLevel && this.full)) return this.emitAttempt('t', time, r, spec, 'delayed');
    const outcome = this.outcome(spec, 'delayed');
    if (this.rng.chance(TQ_PER_RECIPIENT)) {
      // A connect timeout never got a local address bound, which PowerMTA logs as 0.0.0.0.
      const sourceIp = spec === noAnswer ? '0.0.0.0' : r.vmta.ip;
      this.push(
        time,
        'tq',
        'tq',
        renderQueueFailure(this.formatTime(time), r, outcome.status, outcome.diag, sourceIp),
      );
    }
    return outcome;
  }

  /** Events after a delivery: ARF/JMRP complaints, asynchronous bounces, remote DSNs. */
  private followUp(r: Recipient, delivered: number): void {
    const rng = this.rng;
    const { domain } = r;
    if (domain.fbl && rng.chance(COMPLAINT_RATE * domain.fbl.rate * r.job.complaintMult)) {
      const at = delivered + Math.min(3 * 24 * HOUR, rng.lognormal(3 * HOUR, 1.2));
      this.push(at, 'fbl', 'f', renderComplaint(this.formatTime(at), r));
    }
    if (rng.chance(domain.behaviour.remoteBounceRate)) {
      const at = delivered + Math.min(48 * HOUR, rng.lognormal(2 * HOUR, 1));
      this.ctx.time = at;
      const spec = domain.behaviour.bounces[0].spec;
      const reporting = `dns; ${domain.mxHost || `mail.${domain.ascii}`}`;
      this.push(
        at,
        'main',
        'rb',
        renderRemote('rb', this.formatTime(at), r, this.outcome(spec, 'failed'), reporting),
      );
    }
    if (domain.host === 'generic' && rng.chance(REMOTE_STATUS_RATE)) {
      const at = delivered + Math.min(24 * HOUR, rng.lognormal(4 * HOUR, 0.6));
      const gateway = `mail${1 + rng.int(4)}.${domain.ascii}`;
      const outcome: AttemptOutcome = rng.chance(0.7)
        ? {
            action: 'delayed',
            status: '4.4.1 (no answer from host)',
            diag: `smtp;451 4.4.1 ${gateway}: internal mailbox server not responding, will retry`,
            bounceCat: 'no-answer-from-host',
          }
        : {
            action: 'delivered',
            status: '2.0.0 (success)',
            diag: `smtp;250 2.0.0 delivered to mailbox at ${gateway}`,
            bounceCat: '',
          };
      this.push(at, 'main', 'rs', renderRemote('rs', this.formatTime(at), r, outcome, `dns; ${gateway}`));
    }
  }

  private push(time: number, kind: FileKind, type: string, line: string): void {
    if (time >= this.end) return;
    this.pending.push({ time, seq: this.seq++, kind, type, line });
  }
}
