// Why this exists: SwiftPM links every executable target with `main` renamed to
// `<Module>_main` (`--defsym main=<Module>_main`, so tests can link executables), which
// keeps libFuzzer's own `main` out of the link. Each fuzz target therefore defines
// `<Module>_main` and hands over to libFuzzer's driver, declared here; `-sanitize=fuzzer`
// links the library itself, so the module map names no library.
// Delete when: SwiftPM lets an executable target opt out of the renaming.
#ifndef CHATCTL_CLIBFUZZER_SHIM_H
#define CHATCTL_CLIBFUZZER_SHIM_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer as its `main` would, calling `callback` with each input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
