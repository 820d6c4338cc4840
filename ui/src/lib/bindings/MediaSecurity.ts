export type MediaSecurity = { "kind": "sdes", suite: string, } | { "kind": "dtlsSrtp", suite: string, } | { "kind": "unencrypted" };
