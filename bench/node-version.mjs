/**
 * Which Node.js the bench and the processes it starts run on. Those processes (the service, the
 * baseline, the CLI) are started with the bench's own binary (process.execPath), so running the
 * bench under another node, e.g. `.ci/with-node24 npm run bench`, measures everything on that node.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync, realpathSync } from 'node:fs';

/** The version of the node binary that process `pid` runs: its executable, read from /proc (Linux). */
export function nodeVersionOf(pid) {
  let binary;
  try {
    binary = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return `${process.version} (assumed: /proc/${pid}/exe is not readable)`;
  }
  if (binary === realpathSync(process.execPath)) return process.version;
  return `${execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()} (${binary}, NOT the bench's node ${process.version})`;
}
