import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PARENT_PID_ENV, watchParent } from './parent-watch.ts';

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
