#!/usr/bin/env python3
"""ws_register.py ws|wss PORT USER PASSWORD [DOMAIN]

REGISTER over SIP-over-WebSocket (RFC 7118) to Kamailio on 127.0.0.1:PORT, answering the digest
challenge. The certificate of wss is not verified (Kamailio's is self-signed for the test).
Prints the status lines; exit 0 on 200 OK. Python standard library only."""
import base64, hashlib, os, re, socket, ssl, struct, sys, uuid

mode, port, user, pw = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
domain = sys.argv[5] if len(sys.argv) > 5 else "127.0.0.1"
s = socket.create_connection(("127.0.0.1", port), timeout=5)
if mode == "wss":
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    s = ctx.wrap_socket(s, server_hostname="127.0.0.1")
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n").encode())
hs = b""
while b"\r\n\r\n" not in hs:
    chunk = s.recv(4096)
    if not chunk:
        sys.exit("connection closed during the WebSocket handshake")
    hs += chunk
print(hs.split(b"\r\n")[0].decode())


def recv_exact(n):
    d = b""
    while len(d) < n:
        chunk = s.recv(n - len(d))
        if not chunk:
            sys.exit("connection closed")
        d += chunk
    return d


def send(txt):
    p = txt.encode()
    m = os.urandom(4)
    n = len(p)
    hdr = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack("!H", n))
    s.sendall(hdr + m + bytes(b ^ m[i % 4] for i, b in enumerate(p)))


def recv():
    h = recv_exact(2)
    n = h[1] & 0x7F
    if n == 126:
        n = struct.unpack("!H", recv_exact(2))[0]
    return recv_exact(n).decode()


cid, tag, inv = uuid.uuid4().hex, uuid.uuid4().hex[:8], "df7jal23ls0d.invalid"


def reg(cseq, auth=""):
    return (f"REGISTER sip:{domain} SIP/2.0\r\nVia: SIP/2.0/{mode.upper()} {inv};branch=z9hG4bK{uuid.uuid4().hex[:10]}\r\n"
            f"Max-Forwards: 70\r\nTo: <sip:{user}@{domain}>\r\nFrom: <sip:{user}@{domain}>;tag={tag}\r\n"
            f"Call-ID: {cid}\r\nCSeq: {cseq} REGISTER\r\nContact: <sip:{user}@{inv};transport={mode}>;expires=60\r\n"
            f"{auth}Content-Length: 0\r\n\r\n")


send(reg(1))
r = recv()
print(r.split("\r\n")[0])
ch = dict(re.findall(r'(\w+)="([^"]*)"', re.search(r"WWW-Authenticate: Digest (.*)", r).group(1)))
ha1 = hashlib.md5(f"{user}:{ch['realm']}:{pw}".encode()).hexdigest()
ha2 = hashlib.md5(f"REGISTER:sip:{domain}".encode()).hexdigest()
resp = hashlib.md5(f"{ha1}:{ch['nonce']}:{ha2}".encode()).hexdigest()
send(reg(2, f'Authorization: Digest username="{user}", realm="{ch["realm"]}", nonce="{ch["nonce"]}", '
            f'uri="sip:{domain}", response="{resp}", algorithm=MD5\r\n'))
r = recv()
print(r.split("\r\n")[0])
sys.exit(0 if " 200 " in r.split("\r\n")[0] else 1)
