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

// Why: SHA-256 through OpenSSL's low-level SHA256_* functions rather than EVP: EVP fetches
// the digest from a provider, and that machinery touches 1.9 MB of libcrypto's pages the
// first time it runs (a quarter of what `plan` held above `validate` at 100,000 profiles,
// issue 15), where these functions run the same code (SHA-NI or AVX2 where the processor
// has them) and touch 0.2 MB. OpenSSL 3 marks them deprecated, hence the pragma, which
// covers only these lines. SHA-1 and HMAC stay on EVP.
// Delete when: OpenSSL removes SHA256_Init (then back to EVP_Digest).
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
typedef struct {
    SHA256_CTX context;
} chatctl_sha256_context;

static inline int chatctl_sha256_init(chatctl_sha256_context *digest) {
    return SHA256_Init(&digest->context);
}

static inline int chatctl_sha256_update(chatctl_sha256_context *digest, const void *bytes, size_t count) {
    return SHA256_Update(&digest->context, bytes, count);
}

static inline int chatctl_sha256_final(chatctl_sha256_context *digest, unsigned char output[32]) {
    return SHA256_Final(output, &digest->context);
}
#pragma clang diagnostic pop
#endif
