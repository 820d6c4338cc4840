export type QualityAlert = "loss" | "jitter" | "latency" | "mos";
