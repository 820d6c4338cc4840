import { getContext, setContext } from 'svelte';

import type { PhoneStore } from './phone.svelte';

const KEY = Symbol('phone');

export function providePhone(phone: PhoneStore): void {
  setContext(KEY, phone);
}

export function usePhone(): PhoneStore {
  const phone = getContext<PhoneStore | undefined>(KEY);
  if (!phone) throw new Error('usePhone needs providePhone in a parent component');
  return phone;
}

/** For tests: the context map `render` takes. */
export function phoneContext(phone: PhoneStore): Map<symbol, PhoneStore> {
  return new Map([[KEY, phone]]);
}
