import type { CallKey } from "./CallKey";
import type { EndReason } from "./EndReason";
import type { MediaSecurity } from "./MediaSecurity";
import type { Party } from "./Party";
import type { Quality } from "./Quality";
import type { QualityAlert } from "./QualityAlert";
import type { RegistrationState } from "./RegistrationState";
import type { TrustVerdict } from "./TrustVerdict";
export type PhoneEvent = { "type": "registrationChanged", account: string, state: RegistrationState, } | { "type": "incomingCall", call: CallKey, caller: Party, verdict: TrustVerdict, training: boolean, } | { "type": "trustUpdated", call: CallKey, verdict: TrustVerdict, } | { "type": "outgoingCall", call: CallKey, callee: Party, } | { "type": "remoteRinging", call: CallKey, } | { "type": "answered", call: CallKey, } | { "type": "mediaSecured", call: CallKey, security: MediaSecurity, } | { "type": "held", call: CallKey, byRemote: boolean, } | { "type": "resumed", call: CallKey, } | { "type": "muteChanged", call: CallKey, muted: boolean, } | { "type": "qualityUpdated", call: CallKey, quality: Quality, } | { "type": "qualityAlerted", call: CallKey, alert: QualityAlert, } | { "type": "dtmfReceived", call: CallKey, digit: string, } | { "type": "ended", call: CallKey, reason: EndReason, } | { "type": "deviceFailed", text: string, };
