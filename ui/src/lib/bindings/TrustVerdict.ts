import type { Attestation } from "./Attestation";
import type { Callback } from "./Callback";
import type { RecommendedAction } from "./RecommendedAction";
import type { TrustLevel } from "./TrustLevel";
import type { TrustReason } from "./TrustReason";
import type { VerifiedBrand } from "./VerifiedBrand";
export type TrustVerdict = { level: TrustLevel, attestation: Attestation, brand: VerifiedBrand | null, reasons: Array<TrustReason>, action: RecommendedAction, callback: Callback | null, };
