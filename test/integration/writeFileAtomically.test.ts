import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomically } from '../../functions/adapters/local/writeFileAtomically.js';

describe('writeFileAtomically', () => {
  it('replaces the file whole and leaves no temporary file beside it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-atomic-'));
    const file = join(dir, 'nested', 'schedules.json');
    writeFileAtomically(file, '{"a":1}');
    writeFileAtomically(file, '{"b":2}');
    expect(readFileSync(file, 'utf8')).toBe('{"b":2}');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['schedules.json']);
  });

  it('keeps the old contents when the new ones cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'retain-atomic-'));
    const file = join(dir, 'checkpoints.json');
    writeFileSync(file, '{"old":true}');
    // A directory where the temporary file would go makes the write fail before the rename.
    const blocker = join(dir, `.checkpoints.json.${process.pid}.tmp`);
    mkdirSync(blocker);
    expect(() => writeFileAtomically(file, '{"new":true}')).toThrow();
    expect(readFileSync(file, 'utf8')).toBe('{"old":true}');
    expect(existsSync(file)).toBe(true);
  });
});
