# Test-only STI PKI, generated fresh into the current directory at test time (never committed).
# Same openssl lines as the reference Kamailio recipe (ES256 root, SP certificate with TNAuthList),
# plus the variants the negative suite needs.
set -e
sp() { # name key issuer-cert issuer-key days tnauthlist-hex [extra-ext]
  openssl req -new -key "$2" -subj "/C=US/O=Test SP/CN=SHAKEN $1" -out "$1.csr" 2>/dev/null
  { echo "basicConstraints=critical,CA:FALSE"; echo "keyUsage=critical,digitalSignature"
    if [ -n "$6" ]; then echo "1.3.6.1.5.5.7.1.26=DER:$6"; fi
    if [ -n "$7" ]; then echo "$7"; fi; } > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$3" -CAkey "$4" -CAcreateserial -days "$5" -sha256 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
}
root() { # name cn
  openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
  openssl req -x509 -new -key "$1.key" -sha256 -days 3650 -subj "/C=US/O=Test STI-CA/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$1.pem"
}
root ca "Test STI Root"
root rogue "Rogue STI Root"
openssl ecparam -name prime256v1 -genkey -noout -out key.pem
SPC=30:08:a0:06:16:04:31:32:33:34
# single TN 12155559999 (does not cover 13105550101)
ONE=30:0f:a2:0d:16:0b:31:32:31:35:35:35:35:39:39:39:39
# range 13105550100 + 100 (covers 13105550101)
RANGE=30:14:a1:12:30:10:16:0b:31:33:31:30:35:35:35:30:31:30:30:02:01:64
sp sp key.pem ca.pem ca.key 3650 $SPC
sp sp_one key.pem ca.pem ca.key 3650 $ONE
sp sp_range key.pem ca.pem ca.key 3650 $RANGE
sp sp_notn key.pem ca.pem ca.key 3650 ""
sp sp_short key.pem ca.pem ca.key 1 $SPC
sp sp_rogue key.pem rogue.pem rogue.key 3650 $SPC
# EnhancedJWTClaimConstraints (RFC 9118) mustExclude ["rcd"]: this signer may not brand calls
sp sp_norcd key.pem ca.pem ca.key 3650 $SPC "1.3.6.1.5.5.7.1.33=DER:30:09:a2:07:30:05:16:03:72:63:64"
sp sp_revoked key.pem ca.pem ca.key 3650 $SPC "crlDistributionPoints=URI:https://crl.sti.test/ca.crl"
# intermediate CA
openssl ecparam -name prime256v1 -genkey -noout -out inter.key
openssl req -new -key inter.key -subj "/C=US/O=Test STI-CA/CN=Test STI Intermediate" -out inter.csr 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > inter.ext
openssl x509 -req -in inter.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 -sha256 -extfile inter.ext -out inter.pem 2>/dev/null
sp sp_inter key.pem inter.pem inter.key 3650 $SPC
# CRL from the root revoking sp_revoked
printf '[ ca ]\ndefault_ca = d\n[ d ]\ndatabase = index.txt\ncrlnumber = crlnumber\ndefault_md = sha256\ndefault_crl_days = 3650\n' > ca.cnf
: > index.txt; echo 01 > crlnumber
openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -revoke sp_revoked.pem >/dev/null 2>&1
openssl ca -config ca.cnf -keyfile ca.key -cert ca.pem -gencrl -out ca.crl >/dev/null 2>&1
# x5u documents: leaf followed by its chain
for c in sp sp_one sp_range sp_notn sp_short sp_rogue sp_revoked sp_norcd; do cat "$c.pem" > "$c.chain.pem"; done
cat rogue.pem >> sp_rogue.chain.pem
cat sp_inter.pem inter.pem > sp_inter.chain.pem
cat ca.pem >> sp.chain.pem
