/**
 * Worker threads started before their job is known, so that their modules (~0.3-0.5 s idle, more
 * on a busy machine) load while the main thread starts up: `loadParallel` (parallel.ts) hands
 * them their jobs and stops those it does not use. Kept apart from parallel.ts, and light (node
 * built-ins only), so that the command line can start them before it loads its own modules.
 */
import { Worker } from 'node:worker_threads';

/** Files below this many bytes are read on one thread: starting a worker costs ~0.1 s (`CXM_PARALLEL_MIN_BYTES` overrides it). */
export const PARALLEL_MIN_BYTES = 8 * 1024 * 1024;

const waiting: Worker[] = [];

/** Makes sure `count` workers are waiting for a job (starts those missing). */
export function prestartWorkers(count: number): void {
  while (waiting.length < count) {
    const worker = new Worker(new URL('./parallel-worker.js', import.meta.url), { workerData: null });
    worker.unref(); // a worker that gets no job never keeps the process alive
    worker.on('error', () => {}); // one that fails before it has a job is simply not used
    waiting.push(worker);
  }
}

/** A waiting worker, if any, now the caller's. */
export function takeWaitingWorker(): Worker | undefined {
  return waiting.shift();
}

/** Stops the workers started ahead that got no job. */
export async function stopWaitingWorkers(): Promise<void> {
  await Promise.all(waiting.splice(0).map((worker) => worker.terminate()));
}
