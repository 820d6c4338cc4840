//! Opus in-band FEC: a lost frame decoded from the next packet's redundancy is closer to
//! the original than plain packet-loss concealment.

use media::codec::{AudioDecoder, AudioEncoder};
use media::sdp::{Codec, NegotiatedCodec, PayloadType};

fn frame(k: usize) -> Vec<i16> {
    (k * 960..(k + 1) * 960)
        .map(|i| {
            let t = i as f64 / 48_000.0;
            // A gliding tone: PLC cannot just repeat the last period.
            (8000.0 * (2.0 * std::f64::consts::PI * (300.0 + 400.0 * t) * t).sin()) as i16
        })
        .collect()
}

fn error(a: &[i16], b: &[i16]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2)).sum::<f64>().sqrt()
}

#[test]
fn fec_beats_plc_for_a_single_lost_frame() {
    let neg = NegotiatedCodec {
        codec: Codec::Opus,
        pt: PayloadType(96),
        ptime_ms: 20,
        send_fec: true,
        send_dtx: false,
    };
    let mut enc = AudioEncoder::new(&neg).expect("encoder");
    let packets: Vec<Vec<u8>> = (0..30).map(|k| enc.encode(&frame(k)).expect("encodes")).collect();
    let lost = 19;
    let run = |use_fec: bool| {
        let mut dec = AudioDecoder::new(Codec::Opus).expect("decoder");
        for p in packets.iter().take(lost) {
            let _ = dec.decode(p, 960);
        }
        dec.conceal(use_fec.then_some(packets[lost + 1].as_slice()), 960)
    };
    // Opus has 6.5 ms of algorithmic delay: compare against the original shifted by it.
    let reference: Vec<i16> =
        frame(lost - 1)[648..].iter().chain(&frame(lost)[..648]).copied().collect();
    let (with_fec, with_plc) = (run(true), run(false));
    let (ef, ep) = (error(&with_fec, &reference), error(&with_plc, &reference));
    println!("reconstruction error: FEC {ef:.0}, PLC {ep:.0}");
    assert!(ef < ep * 0.7, "FEC {ef} vs PLC {ep}");
}
