// Light, dark, or like the system (prefers-color-scheme), remembered on this computer.
export type Theme = 'system' | 'light' | 'dark';

const KEY = 'callwarden.theme';

function stored(): Theme {
  const value = globalThis.localStorage?.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

class ThemeChoice {
  value: Theme = $state(stored());

  set(value: Theme): void {
    this.value = value;
    globalThis.localStorage?.setItem(KEY, value);
    this.applyTo(document.documentElement);
  }

  applyTo(root: HTMLElement): void {
    if (this.value === 'system') delete root.dataset.theme;
    else root.dataset.theme = this.value;
  }
}

export const theme = new ThemeChoice();
