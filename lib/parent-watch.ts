import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The variable `npm start` sets on the processes it starts: its own pid. */
export const PARENT_PID_ENV = 'ACCTSCOPE_PARENT_PID';

/**
 * Calls `onGone` once when the process that started this one (named by ACCTSCOPE_PARENT_PID) is
 * gone: `npm start` killed with SIGKILL cannot stop its worker and web server, which then kept
 * running, holding the port the next `npm start` needed. Checked every `everyMs`: a parent that
 * died leaves its children to another process (process.ppid changes). Does nothing without the
 * variable (a worker or app started on its own).
 */
export function watchParent(
  onGone: () => void,
  everyMs = 1000,
  env: Record<string, string | undefined> = process.env,
): void {
  const expected = Number(env[PARENT_PID_ENV]);
  if (!Number.isInteger(expected) || expected <= 0) return;
  const timer = setInterval(() => {
    if (process.ppid === expected) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  timer.unref();
}

/** A process's parent pid, process group and command line, from /proc (null where /proc does not tell). */
export function procInfo(pid: number): { ppid: number; pgrp: number; cmdline: string[] } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses; the last ')' ends it.
    const [, ppid, pgrp] = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return Number.isInteger(ppid) && Number.isInteger(pgrp) ? { ppid, pgrp, cmdline } : null;
  } catch {
    return null;
  }
}

/**
 * The pid of the npm that runs this process (`npm start`: npm → sh → node), when it is
 * among the nearest `maxDepth` ancestors; null otherwise (started another way, or no /proc).
 * `npmCli` is the script npm runs (npm_execpath, which npm sets for its scripts).
 */
export function npmAncestor(
  npmCli = process.env.npm_execpath,
  from = process.ppid,
  maxDepth = 4,
): number | null {
  let pid = from;
  for (let depth = 0; depth < maxDepth && pid > 1; depth++) {
    const info = procInfo(pid);
    if (!info) return null;
    const [exe = '', ...args] = info.cmdline;
    // npm titles itself "npm start" (one string in /proc/PID/cmdline); otherwise node runs npm-cli.js.
    const isNpm =
      path.basename(exe.split(' ')[0]) === 'npm' ||
      args.some((a) => (npmCli && a === npmCli) || path.basename(a) === 'npm-cli.js');
    if (isNpm) return pid;
    pid = info.ppid;
  }
  return null;
}

/**
 * Calls `onGone` once when process `pid` has exited (checked every `everyMs`). `npm start` killed
 * with SIGKILL, or sent SIGTERM by a supervisor that signals only its main pid (npm then exits
 * without passing it on), left the database, the worker and the web server running and holding
 * their ports.
 */
export function watchProcess(pid: number, onGone: () => void, everyMs = 1000): void {
  const timer = setInterval(() => {
    if (processExists(pid)) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  timer.unref();
}

/** Whether a process of this pid runs on this host (another user's counts). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
