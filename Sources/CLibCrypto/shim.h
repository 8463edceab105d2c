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
#include <openssl/crypto.h>

// Why: OPENSSL_INIT_NO_ATEXIT is a macro of type long that Swift may not import as the
// uint64_t OPENSSL_init_crypto takes. Without it libcrypto frees its tables in an atexit
// handler while other threads may still be digesting (a second SIGINT ends apply with
// requests being signed): their EVP_Digest then fails. The process's memory goes with it.
// Delete when: Swift imports OPENSSL_INIT_NO_ATEXIT as a constant.
static inline int chatctl_openssl_init_without_atexit(void) {
    return OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
}
#endif
