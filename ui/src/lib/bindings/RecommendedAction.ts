export type RecommendedAction = "answer" | "answerWithCaution" | "verifyByCallback" | "decline" | "block";
