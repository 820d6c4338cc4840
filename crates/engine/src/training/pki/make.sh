#!/bin/sh
# Makes the training line's STI PKI (run once; the output is committed and embedded in the engine).
# Training only: the root is a trust anchor for the built-in training context and nothing else,
# and its SP key signs the training line's own PASSporTs. Same openssl lines as tests/src/pki.rs.
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ca.key"
openssl req -x509 -new -sha256 -days 3650 -key "$tmp/ca.key" \
  -subj "/C=US/O=Callwarden Training STI-CA/CN=Callwarden Training STI Root" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem
openssl ecparam -name prime256v1 -genkey -noout -out sp.key
openssl req -new -key sp.key -subj "/C=US/O=Callwarden Training Line/CN=SHAKEN 1234" -out "$tmp/sp.csr"
# TNAuthList (1.3.6.1.5.5.7.1.26) with service provider code "1234".
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n1.3.6.1.5.5.7.1.26=DER:30:08:a0:06:16:04:31:32:33:34\n' > "$tmp/sp.ext"
openssl x509 -req -sha256 -days 3650 -in "$tmp/sp.csr" -CA ca.pem -CAkey "$tmp/ca.key" \
  -CAcreateserial -CAserial "$tmp/ca.srl" -extfile "$tmp/sp.ext" -out "$tmp/sp.pem"
# The x5u document: leaf followed by its chain.
cat "$tmp/sp.pem" ca.pem > sp-chain.pem
rm -r "$tmp"
