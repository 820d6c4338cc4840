//! SIP messages and URIs: parse and print (RFC 3261, 5118, 4475). No IO, no clock.
