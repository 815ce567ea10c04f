/** Reading processes and the machine from /proc (Linux): CPU time, machine description (RSS: `@faultline/testkit`'s `rssMb`). */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's utime/stime (USER_HZ; 100 on every Linux x86-64 build). */
const CLK_TCK = 100;

/** CPU time (user + system) the process has used so far, in ms, or NaN when it is gone. */
export function cpuMs(pid: number): number {
  try {
    // Fields after the `(comm)` part; utime and stime are the 14th and 15th fields of the line.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return NaN;
  }
}

/** Machine-wide CPU counters from `/proc/stat`, in ticks: `busy` (all but idle and iowait) and `total`. */
export function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  return { busy: total - cpu[3]! - cpu[4]!, total };
}

/** Share of all cores busy between two {@link machineTicks} snapshots, 0..1. */
export function busyShare(a: { busy: number; total: number }, b: { busy: number; total: number }): number {
  return (b.busy - a.busy) / Math.max(1, b.total - a.total);
}

/** CPU time per process group at one moment: pgrp → ms (kernel threads, pgrp 0, left out). */
export type GroupCpu = Map<number, number>;

/**
 * Reads every process's CPU time (user + system, ms) from /proc, summed per process group. A process
 * that leads a group of its own but whose parent is not init counts in its parent's group: PostgreSQL's
 * backends call `setsid()`, and their work is the stack's, not other work on the machine.
 */
export function cpuByGroup(): GroupCpu {
  const procs = new Map<number, { ppid: number; pgrp: number; ms: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(f[1]), pgrp: Number(f[2]), ms: ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK });
    } catch {
      // exited meanwhile
    }
  }
  const out: GroupCpu = new Map();
  for (const [pid, p] of procs) {
    if (p.pgrp === 0) continue;
    const parent = p.pgrp === pid && p.ppid > 1 ? procs.get(p.ppid) : undefined;
    const group = parent && parent.pgrp !== 0 ? parent.pgrp : p.pgrp;
    out.set(group, (out.get(group) ?? 0) + p.ms);
  }
  return out;
}

/**
 * CPU used between two {@link cpuByGroup} snapshots by process groups other than `ours`, in ms
 * (work of others on a shared machine; processes that ended in between are not seen).
 */
export function foreignCpuMs(a: GroupCpu, b: GroupCpu, ours: ReadonlySet<number>): number {
  let ms = 0;
  for (const [g, t] of b) if (!ours.has(g)) ms += Math.max(0, t - (a.get(g) ?? 0));
  return ms;
}

/** This process's group (`pgrp` of /proc/self/stat): the bench and the apps it spawns share it. */
export function ownGroup(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** The machine: CPU model (from /proc/cpuinfo), core count, memory (GiB), Node version, kernel, load average. */
export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started (other work on the machine shows here). */
  loadAvgAtStart: number;
}

/** Describes this machine. */
export function machine(): Machine {
  const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?';
  const memKb = Number(/^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  return {
    cpu: model,
    cores: os.availableParallelism(),
    memoryGiB: +(memKb / 2 ** 20).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAvgAtStart: +os.loadavg()[0]!.toFixed(2),
  };
}
