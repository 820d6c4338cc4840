export type Attestation = "a" | "b" | "c" | "none" | "failed";
