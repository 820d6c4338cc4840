export type RegistrationState = { "state": "unregistered" } | { "state": "registering" } | { "state": "registered", expiresSecs: number, } | { "state": "failed", reason: string, };
