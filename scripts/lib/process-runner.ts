// The one way operator commands run wrangler and npm. A command is given as a tool and its arguments, so
// a test can pass a fake Runner and check the sequence without a network or a Cloudflare account.
import { spawn } from 'node:child_process';
import { wranglerBin } from './wrangler.ts';

export type Tool = 'wrangler' | 'npm';

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Also show the output as it comes (a deploy is long; its progress is worth seeing). */
  readonly echo?: boolean;
}

export type Runner = (tool: Tool, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

/** Spawns the project's wrangler (under this Node, so its Node 22 runs it) or npm, capturing the output. */
export function spawnRunner(cwd?: string): Runner {
  return (tool, args, options = {}) =>
    new Promise((resolve) => {
      const [command, prefix] = commandOf(tool);
      // stdin stays the terminal's only when echoing: a captured command must never wait on a prompt.
      const child = spawn(command, [...prefix, ...args], { cwd, stdio: [options.echo ? 'inherit' : 'ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (options.echo) process.stdout.write(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (options.echo) process.stderr.write(chunk);
      });
      child.on('error', (error) => resolve({ status: 127, stdout: plain(stdout), stderr: `${plain(stderr)}could not run ${tool}: ${error.message}` }));
      child.on('close', (code) => resolve({ status: code ?? 1, stdout: plain(stdout), stderr: plain(stderr) }));
    });
}

function commandOf(tool: Tool): [string, string[]] {
  if (tool === 'wrangler') return [process.execPath, [wranglerBin()]];
  // Under `npm run`, npm names its own entry point: the same npm runs the nested command.
  const npmCli = process.env.npm_execpath;
  return npmCli?.endsWith('.js') || npmCli?.endsWith('.cjs') ? [process.execPath, [npmCli]] : ['npm', []];
}

// wrangler colours its errors even into a pipe; what is parsed or quoted must be plain text.
function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/** The output of a failed command, for an error message (wrangler writes its errors to either stream). */
export function failureText(result: RunResult): string {
  return (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-15).join('\n');
}
