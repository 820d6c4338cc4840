export type Quality = { lossPercent: number, jitterMs: number, rttMs: number | null, mos: number, };
