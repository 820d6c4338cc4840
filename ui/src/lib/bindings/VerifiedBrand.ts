export type VerifiedBrand = { name: string, logo: string | null, callReason: string | null, };
