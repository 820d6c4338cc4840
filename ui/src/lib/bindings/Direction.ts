export type Direction = "incoming" | "outgoing";
