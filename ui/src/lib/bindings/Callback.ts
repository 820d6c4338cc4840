export type Callback = { label: string, number: string, };
