/**
 * A happens-before class key for the checking-the-checker harnesses: per object, its operations in
 * order, with the reads between two writes (which commute) sorted. Two executions are equivalent
 * exactly when these agree.
 */
export function hbClass(log: ReadonlyMap<string, readonly string[]>): string {
  return [...log.keys()].sort().map((obj) => {
    const groups: string[] = [];
    let reads: string[] = [];
    for (const e of log.get(obj)!) {
      if (e[0] === 'r') {
        reads.push(e);
        continue;
      }
      groups.push(...reads.sort(), e);
      reads = [];
    }
    return `${obj}:${[...groups, ...reads.sort()].join(' ')}`;
  }).join(';');
}
