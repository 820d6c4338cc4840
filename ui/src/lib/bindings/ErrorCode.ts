export type ErrorCode = "noSuchCall" | "invalidState" | "invalidTarget" | "destinationRefused" | "locked" | "engineStopped";
