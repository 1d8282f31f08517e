import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmAncestor, PARENT_PID_ENV, watchParent, watchProcess } from './parent-watch.ts';

describe('watchParent', () => {
  it('does nothing without ACCTSCOPE_PARENT_PID, or while the parent lives', async () => {
    let gone = 0;
    watchParent(() => gone++, 10, {});
    watchParent(() => gone++, 10, { [PARENT_PID_ENV]: String(process.ppid) });
    await new Promise((r) => setTimeout(r, 60));
    expect(gone).toBe(0);
  });

  it('calls back once when the parent is gone (its children are handed to another process)', async () => {
    let gone = 0;
    // A pid that is not this process's parent reads as a parent that died.
    watchParent(() => gone++, 10, { [PARENT_PID_ENV]: String(process.ppid + 1_000_000) });
    await new Promise((r) => setTimeout(r, 80));
    expect(gone).toBe(1);
  });

  it('ends a real child when its parent is killed with SIGKILL', async () => {
    // sh starts node (the watcher) in the background and waits; killing sh orphans node.
    const script = `
      const { watchParent } = await import(${JSON.stringify(new URL('./parent-watch.ts', import.meta.url).href)});
      watchParent(() => { console.log('gone'); process.exit(0); }, 50);
      setInterval(() => {}, 1000);`;
    const sh = spawn(
      'sh',
      ['-c', `${PARENT_PID_ENV}=$$ node --import tsx --input-type=module -e "$0" & echo $!; wait`, script],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const childPid = await new Promise<number>((resolve) =>
      sh.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
    );
    await new Promise((r) => setTimeout(r, 300));
    const alive = () => {
      try {
        process.kill(childPid, 0);
        return true;
      } catch {
        return false;
      }
    };
    expect(alive()).toBe(true);
    sh.kill('SIGKILL');
    const started = Date.now();
    while (alive() && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
  });
});

describe('npmAncestor and watchProcess', () => {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('stops at init, and at a process that is not there', () => {
    expect(npmAncestor('/nowhere/npm-cli.js', 1)).toBeNull();
    expect(npmAncestor('/nowhere/npm-cli.js', 2 ** 22 + 1)).toBeNull(); // above the kernel's pid_max
  });

  it('ends a process started as npm start starts it when npm is killed with SIGKILL', async () => {
    // npm → sh → node, as `npm start` runs scripts/start.ts (npm keeps its children when killed).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'acct-npm-'));
    const fakeNpm = path.join(dir, 'npm-cli.js');
    const child = path.join(dir, 'child.mjs');
    writeFileSync(
      fakeNpm,
      `process.title = 'npm start'; // as npm titles itself
       require('node:child_process').spawn('sh', ['-c', 'node --import tsx ${child}'], { stdio: 'inherit', env: { ...process.env, npm_execpath: __filename } });
       setInterval(() => {}, 1000);`,
    );
    writeFileSync(
      child,
      `const { npmAncestor, watchProcess } = await import(${JSON.stringify(new URL('./parent-watch.ts', import.meta.url).href)});
       const npm = npmAncestor();
       console.log(JSON.stringify({ npm, pid: process.pid }));
       if (npm !== null) watchProcess(npm, () => { console.log('gone'); process.exit(0); }, 50);
       setInterval(() => {}, 1000);`,
    );
    const npm = spawn('node', ['--import', 'tsx', fakeNpm], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    npm.stdout.on('data', (d) => {
      out += String(d);
    });
    const waitStart = Date.now();
    while (!out.includes('\n') && Date.now() - waitStart < 20_000)
      await new Promise((r) => setTimeout(r, 20));
    const seen = JSON.parse(out.split('\n')[0]) as { npm: number | null; pid: number };
    expect(seen.npm).toBe(npm.pid);
    await new Promise((r) => setTimeout(r, 200));
    expect(alive(seen.pid)).toBe(true);
    npm.kill('SIGKILL');
    const started = Date.now();
    while (alive(seen.pid) && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 50));
    expect(alive(seen.pid)).toBe(false);
  });

  it('calls back once for a process that has exited', async () => {
    const short = spawn('true');
    await new Promise((r) => short.once('exit', r));
    let gone = 0;
    watchProcess(short.pid!, () => gone++, 10);
    await new Promise((r) => setTimeout(r, 80));
    expect(gone).toBe(1);
  });
});
