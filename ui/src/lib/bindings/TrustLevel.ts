export type TrustLevel = "verifying" | "verified" | "neutral" | "caution" | "danger" | "blocked";
