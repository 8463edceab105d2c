// Why this exists: curl_easy_setopt and curl_easy_getinfo are C variadic functions,
// which Swift cannot call. These typed static inline wrappers (one per argument type,
// after corelibs-foundation's CFURLSession_easy_setopt_*) give Swift a callable
// signature for each. Only ChatctlAWS/Transport/Curl imports this module.
// Delete when: Swift can call C variadic functions directly.
#ifndef CHATCTL_CLIBCURL_SHIM_H
#define CHATCTL_CLIBCURL_SHIM_H
#include <curl/curl.h>

static inline CURLcode chatctl_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode chatctl_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode chatctl_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode chatctl_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*chatctl_curl_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

static inline CURLcode chatctl_curl_setopt_data_callback(CURL *handle, CURLoption option, chatctl_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode chatctl_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode chatctl_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode chatctl_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

// Why: curl_global_init's flags are macros built from other macros (CURL_GLOBAL_SSL |
// CURL_GLOBAL_WIN32), which Swift may not import; this calls it with CURL_GLOBAL_DEFAULT.
// Delete when: Swift imports CURL_GLOBAL_DEFAULT as a constant.
static inline CURLcode chatctl_curl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

// Why: options ending in _LARGE (CURLOPT_POSTFIELDSIZE_LARGE, CURLOPT_MAXFILESIZE_LARGE)
// take a curl_off_t through the variadic curl_easy_setopt; passing a long there is wrong on
// platforms where the two differ. Delete when: Swift can call C variadic functions.
static inline CURLcode chatctl_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

// Why: CURLOPT_XFERINFOFUNCTION takes a progress callback of its own signature (used to
// abort a transfer when the Swift task is cancelled); the variadic setopt cannot be called
// from Swift. Delete when: Swift can call C variadic functions.
typedef int (*chatctl_curl_xferinfo_callback)(void *userdata, curl_off_t download_total, curl_off_t download_now,
                                              curl_off_t upload_total, curl_off_t upload_now);

static inline CURLcode chatctl_curl_setopt_xferinfo_callback(CURL *handle, CURLoption option, chatctl_curl_xferinfo_callback value) {
    return curl_easy_setopt(handle, option, value);
}
// Why: CURLINFO_ACTIVESOCKET hands back a curl_socket_t through the variadic
// curl_easy_getinfo; the WebSocket stream (CONNECT_ONLY) polls that socket while it waits
// for bytes. Delete when: Swift can call C variadic functions.
static inline CURLcode chatctl_curl_getinfo_socket(CURL *handle, CURLINFO info, curl_socket_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
#endif
