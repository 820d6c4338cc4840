//! The WebSocket upgrade for SIP over WebSocket (RFC 7118): subprotocol `sip`.

use tokio::io::{AsyncRead, AsyncWrite};
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;

use super::{Target, TransportError};

/// Upgrades a connected (and, for WSS, TLS-wrapped) stream to a SIP WebSocket.
pub(super) async fn upgrade<S>(
    stream: S,
    target: &Target,
    scheme: &str,
) -> Result<WebSocketStream<S>, TransportError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let host = match &target.server_name {
        Some(name) => name.clone(),
        None => match target.addr {
            std::net::SocketAddr::V4(a) => a.ip().to_string(),
            std::net::SocketAddr::V6(a) => format!("[{}]", a.ip()),
        },
    };
    let url = format!("{scheme}://{host}:{}/", target.addr.port());
    let mut request =
        url.into_client_request().map_err(|e| TransportError::WebSocket(e.to_string()))?;
    request.headers_mut().insert("Sec-WebSocket-Protocol", HeaderValue::from_static("sip"));
    let (ws, response) = tokio_tungstenite::client_async(request, stream)
        .await
        .map_err(|e| TransportError::WebSocket(e.to_string()))?;
    let agreed = response.headers().get("Sec-WebSocket-Protocol").and_then(|v| v.to_str().ok());
    if !agreed.is_some_and(|p| p.eq_ignore_ascii_case("sip")) {
        return Err(TransportError::WebSocket(
            "server did not agree to the sip subprotocol".into(),
        ));
    }
    Ok(ws)
}
