export type TrustReason = { code: string, text: string, };
