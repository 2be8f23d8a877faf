/**
 * Maps work items over executors and returns the results in the items' order, whichever executor ran
 * which item: the output never depends on the worker count. With n workers, this thread is one of them
 * and n − 1 worker threads are the others; every executor claims the next item from one shared atomic
 * counter, so this thread starts at once while the threads start up, and a thread never waits for this
 * one (busy with an item) to hand it work. Threads load worker.ts bundled into one plain module
 * (worker-bundle.ts), so they start in tens of milliseconds.
 */
import os from 'node:os';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { AssertionError } from '../common/assert.ts';
import { DAY_SECONDS, limits } from '../common/limits.ts';
import { abandonItems, claimItem, type WorkerData, type WorkerReply } from './protocol.ts';
import type { ReplicationResult } from './result.ts';
import { runWorkItem, type WorkItem } from './work.ts';
import { WORKER_ENTRY, workerScript } from './worker-bundle.ts';

export interface PoolOptions {
  workers: number;
  /** Progress of item `index`: simulated seconds done and events so far. */
  onProgress?: (index: number, simSeconds: number, events: number) => void;
  /**
   * Run every item on worker threads (`workers` of them), none in this thread: tests and benchmarks
   * that compare thread against thread.
   */
  alwaysThreads?: boolean;
}

/**
 * The worker count a command defaults to: one per core and item, or one alone when each item is too
 * small for a thread to pay for its start-up and warm-up (`limits.threadViewerDaysMin`).
 */
export function defaultWorkers(items: number, viewerDaysPerItem: number): number {
  if (viewerDaysPerItem < limits.threadViewerDaysMin) return 1;
  return Math.max(1, Math.min(items, os.availableParallelism()));
}

/** Viewers × simulated days of one replication of a scenario (the size of a work item). */
export function viewerDays(scenario: { population: { viewers: number }; duration: number }): number {
  return (scenario.population.viewers * scenario.duration) / DAY_SECONDS;
}

export async function runPool(
  items: readonly WorkItem[],
  options: PoolOptions,
): Promise<ReplicationResult[]> {
  const workers = Math.max(1, Math.min(options.workers, items.length));
  if (items.length === 0) return [];
  const threads = options.alwaysThreads ? workers : workers - 1;
  return new Run(items, options).start(threads, !options.alwaysThreads);
}

class Run {
  private readonly results: ReplicationResult[];
  private readonly claims = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  private readonly threads: Worker[] = [];
  /** The threads' progress ports (when progress is asked for): read between this thread's events too. */
  private readonly progress: MessagePort[] = [];
  private done = 0;
  private failure: Error | undefined;
  private settle: (() => void) | undefined;

  constructor(
    private readonly items: readonly WorkItem[],
    private readonly options: PoolOptions,
  ) {
    this.results = new Array(items.length);
  }

  async start(threads: number, here: boolean): Promise<ReplicationResult[]> {
    const finished = new Promise<void>((resolve) => {
      this.settle = resolve;
    });
    try {
      if (threads > 0) await this.spawn(threads);
      if (here) await this.runHere();
      if (this.done < this.items.length && this.failure === undefined) await finished;
    } finally {
      for (const thread of this.threads) void thread.terminate();
      for (const port of this.progress) port.close();
    }
    if (this.failure !== undefined) throw this.failure;
    return this.results;
  }

  /** Claims and runs items in this thread until none is left, yielding to messages in between. */
  private async runHere(): Promise<void> {
    const { items, claims } = this;
    for (let index = claimItem(claims, items.length); index >= 0; index = claimItem(claims, items.length)) {
      try {
        this.complete(
          index,
          runWorkItem(items[index], (s, e) => {
            this.drainProgress();
            this.options.onProgress?.(index, s, e);
          }),
        );
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      // Let timers (a progress bar), signals and the threads' replies in between items.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The threads' progress that arrived while this thread was busy, delivered now. */
  private drainProgress(): void {
    for (const port of this.progress)
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port))
        this.receive(m.message as WorkerReply);
  }

  private async spawn(count: number): Promise<void> {
    const script = await workerScript();
    const shared: WorkerData = { items: this.items, claims: this.claims, entry: WORKER_ENTRY };
    for (let i = 0; i < count; i++) {
      let workerData = shared;
      let transferList: MessagePort[] = [];
      if (this.options.onProgress !== undefined) {
        const { port1, port2 } = new MessageChannel();
        port1.on('message', (reply: WorkerReply) => this.receive(reply));
        port1.unref();
        this.progress.push(port1);
        workerData = { ...shared, progress: port2 };
        transferList = [port2];
      }
      const thread = new Worker(script.url, {
        workerData,
        transferList,
        // The bundle is plain JavaScript: leave out the TypeScript loader this process may run under.
        execArgv: script.bundled ? [...withoutLoaders(process.execArgv), '--enable-source-maps'] : undefined,
      });
      this.threads.push(thread);
      thread.on('message', (reply: WorkerReply) => this.receive(reply));
      thread.on('error', (error) => this.fail(error));
      thread.on('exit', (code) => {
        if (code !== 0 && this.done < this.items.length)
          this.fail(new Error(`a worker thread exited early (code ${code})`));
      });
    }
  }

  private receive(reply: WorkerReply): void {
    if (reply.type === 'progress') this.options.onProgress?.(reply.index, reply.simSeconds, reply.events);
    else if (reply.type === 'done') this.complete(reply.index, reply.result);
    else this.fail(rebuild(reply));
  }

  private complete(index: number, result: ReplicationResult): void {
    this.results[index] = result;
    if (++this.done === this.items.length) this.settle?.();
  }

  private fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    abandonItems(this.claims, this.items.length);
    this.settle?.();
  }
}

/** Node options without the module loaders and preloads (`--import tsx` and the like). */
function withoutLoaders(argv: readonly string[]): string[] {
  const loaders = ['--import', '--require', '-r', '--loader', '--experimental-loader'];
  // Process-wide flags a worker thread refuses (ERR_WORKER_INVALID_EXEC_ARGV): `npm run bench` runs with
  // --expose-gc.
  const processWide = ['--expose-gc', '--expose_gc'];
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (loaders.includes(arg)) i++;
    else if (processWide.includes(arg)) continue;
    else if (!loaders.some((l) => arg.startsWith(`${l}=`))) out.push(arg);
  }
  return out;
}

function rebuild(reply: Extract<WorkerReply, { type: 'error' }>): Error {
  const error =
    reply.name === 'AssertionError' ? new AssertionError(reply.message) : new Error(reply.message);
  error.stack = reply.stack;
  return error;
}
