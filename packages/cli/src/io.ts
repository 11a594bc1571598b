import type { Readable } from 'node:stream';

/** Everything a command touches outside its arguments, injectable so tests run commands in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The whole of standard input (for `-f -`). */
  readonly readStdin: () => Promise<string>;
  /**
   * Standard input as it arrives, for a command that acts on each part before the end (`sync -f -`).
   * Without it, such a command reads `readStdin` whole.
   */
  readonly stdinStream?: () => Readable;
  /** Directory relative file names are resolved against. */
  readonly cwd: string;
  /** stdout is a terminal: long operations may show progress (on stderr). */
  readonly isTty?: boolean;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    stdinStream: () => process.stdin,
    cwd: process.cwd(),
    isTty: process.stdout.isTTY === true,
  };
}
