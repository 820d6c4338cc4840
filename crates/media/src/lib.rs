//! Sans-IO call media: SDP offer/answer, RTP/RTCP, SRTP, DTLS, ICE, codecs, jitter buffer.
