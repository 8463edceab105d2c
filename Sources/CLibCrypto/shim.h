// Why this exists: SwiftPM needs a header to build a module map around OpenSSL's
// libcrypto. Only the digest and HMAC entry points chatctl uses are included, so the
// imported surface stays small; only ChatctlAWS/Crypto imports this module.
// Delete when: never, while OpenSSL provides SHA-256 and HMAC.
#ifndef CHATCTL_CLIBCRYPTO_SHIM_H
#define CHATCTL_CLIBCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#endif
