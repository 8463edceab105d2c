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
#endif
