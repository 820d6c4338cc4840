// @vitest-environment node
// The UI's command list, the shell's command list (build.rs) and the window's capability must
// name the same commands: a command missing from the capability would fail at run time.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { COMMAND_NAMES } from '../lib/commands';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('commands', () => {
  it('match the shell and the capability', () => {
    const build = readFileSync(resolve(root, 'src-tauri/build.rs'), 'utf8');
    const listed = [...build.matchAll(/^\s+"([a-z_]+)",$/gm)].map((m) => m[1]);
    expect(listed).toEqual([...COMMAND_NAMES]);

    const main = readFileSync(resolve(root, 'src-tauri/src/main.rs'), 'utf8');
    const handled = [...main.matchAll(/commands::([a-z_]+),/g)].map((m) => m[1]);
    expect(handled).toEqual([...COMMAND_NAMES]);

    const capability = JSON.parse(readFileSync(resolve(root, 'src-tauri/capabilities/main.json'), 'utf8'));
    const allowed = (capability.permissions as string[]).filter((p) => p.startsWith('allow-'));
    expect(allowed).toEqual(COMMAND_NAMES.map((c) => `allow-${c.replaceAll('_', '-')}`));
  });
});
