import { describe, expect, it } from 'vitest';
import { VM_ACCOUNT, VM_GROWSDOWN, VM_MAYSHARE, VM_SHARED, VM_WRITE } from '../../src/mm/constants.js';
import { Kernel } from '../../src/mm/kernel.js';
import { flagsFromPerms, formatMaps, mmFromMaps, parseMaps } from '../../src/mm/maps.js';
import { validateMm } from '../../src/mm/validate.js';
import { readProcStable } from '../../src/cli/proc.js';
import { Vma } from '../../src/mm/vma.js';

// A maps file in the shape of a small 64-bit process: a binary, heap, an anonymous region with a name,
// a shared file mapping, libc, the stack, vdso and the vsyscall gate (which lies above 2^53).
const SAMPLE = [
  '55d0c7a00000-55d0c7a02000 r--p 00000000 08:01 1048602                    /usr/bin/cat',
  '55d0c7a02000-55d0c7a07000 r-xp 00002000 08:01 1048602                    /usr/bin/cat',
  '55d0c7a07000-55d0c7a0a000 r--p 00007000 08:01 1048602                    /usr/bin/cat',
  '55d0c7a0a000-55d0c7a0b000 rw-p 00009000 08:01 1048602                    /usr/bin/cat',
  '55d0c8c4d000-55d0c8c6e000 rw-p 00000000 00:00 0                          [heap]',
  '7f3a1c000000-7f3a1c021000 rw-p 00000000 00:00 0 ',
  '7f3a1c200000-7f3a1c300000 rw-p 00000000 00:00 0                          [anon:scudo]',
  '7f3a1d000000-7f3a1d010000 rw-s 00000000 00:05 4242                       /dev/shm/ring',
  '7f3a1e000000-7f3a1e028000 r--p 00000000 08:01 1051215                    /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7f3a1e028000-7f3a1e1bd000 r-xp 00028000 08:01 1051215                    /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7ffd5c9f1000-7ffd5ca12000 rw-p 00000000 00:00 0                          [stack]',
  '7ffd5cbf6000-7ffd5cbf8000 r-xp 00000000 00:00 0                          [vdso]',
  'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
].map((l) => `${l}\n`).join('');

describe('/proc/<pid>/maps', () => {
  it("this machine's /proc/self/maps round-trips exactly", () => {
    // This process maps and unmaps as it runs (V8's heap, vitest's threads): read a settled picture.
    const text = readProcStable('/proc/self/maps');
    const mm = mmFromMaps(new Kernel(), text);
    expect(formatMaps(mm)).toBe(text);
    validateMm(mm);
  });

  it('a hand-made maps file round-trips, and its VMAs carry the flags, files and offsets it names', () => {
    const mm = mmFromMaps(new Kernel(), SAMPLE);
    expect(formatMaps(mm)).toBe(SAMPLE);
    validateMm(mm);
    // Every line except the gate area is a VMA of the tree.
    expect(mm.mapCount).toBe(12);
    expect(mm.gateArea?.name).toBe('[vsyscall]');
    const libcText = mm.mmMt.load(0x7f3a1e100000);
    expect(libcText).toBeInstanceOf(Vma);
    const text = libcText as Vma;
    expect(text.vmFile?.path).toBe('/usr/lib/x86_64-linux-gnu/libc.so.6');
    expect(text.vmPgoff).toBe(0x28);
    const stack = mm.mmMt.load(0x7ffd5ca11000) as Vma;
    expect(stack.vmFlags & VM_GROWSDOWN).toBe(VM_GROWSDOWN);
    const shared = mm.mmMt.load(0x7f3a1d000000) as Vma;
    expect(shared.vmFlags & (VM_SHARED | VM_MAYSHARE)).toBe(VM_SHARED | VM_MAYSHARE);
    // The two libc VMAs share one file and both sit in its i_mmap.
    const libcRo = mm.mmMt.load(0x7f3a1e000000) as Vma;
    expect(libcRo.vmFile).toBe(text.vmFile);
    expect([...text.vmFile!.mapping.iMmap]).toEqual([libcRo, text]);
    expect(mm.startBrk).toBe(0x55d0c8c4d000);
    expect(mm.brk).toBe(0x55d0c8c6e000);
  });

  it('private writable mappings are accounted, shared ones are not', () => {
    expect(flagsFromPerms('rw-p') & VM_ACCOUNT).toBe(VM_ACCOUNT);
    expect(flagsFromPerms('rw-s') & VM_ACCOUNT).toBe(0);
    expect(flagsFromPerms('r--s') & (VM_SHARED | VM_WRITE)).toBe(0);
  });

  it('a line that does not parse is a RangeError naming the line', () => {
    expect(() => parseMaps('00400000-00401000 r-xp 00000000 08:01 12 /bin/x\nnot a maps line\n')).toThrow(/maps line 2/);
  });

  it('a mapping above 2^53 other than [vsyscall] is refused', () => {
    expect(() => mmFromMaps(new Kernel(), 'ffffffffff700000-ffffffffff701000 r--p 00000000 00:00 0 \n')).toThrow(RangeError);
  });
});
