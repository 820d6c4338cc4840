export type Party = { number: string | null, displayName: string | null, uri: string, };
