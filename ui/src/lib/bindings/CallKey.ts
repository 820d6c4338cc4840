export type CallKey = string;
