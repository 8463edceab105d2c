import CLibFuzzer
import ChatctlCore
import Foundation

/// libFuzzer target: arbitrary bytes through `LockfileCodec.decode` (the JSON parser, the
/// version check, the lockfile schema, the entry reader) — what `chatctl plan` and
/// `apply` do with `chatctl.lock.json`.
///
/// Oracle: what decodes re-encodes to bytes that decode again, and that second decoding
/// re-encodes to the same bytes (the writer's output is a fixed point), with the same
/// lockfile except for times, which the writer keeps to whole seconds.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLockfileDecoding(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    LockfileTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Starts libFuzzer; SwiftPM links this as `main` (see CLibFuzzer/shim.h).
@_cdecl("FuzzLockfileDecoding_main")
public func fuzzLockfileDecodingMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzLockfileDecoding)
}

enum LockfileTarget {
    static let codec: LockfileCodec = {
        do {
            return try LockfileCodec()
        } catch {
            fatalError("\(error)")
        }
    }()

    static func run(_ bytes: [UInt8]) {
        let first: Lockfile
        do {
            first = try codec.decode(bytes, file: "chatctl.lock.json")
        } catch {
            _ = error.diagnostic.text
            return
        }
        let written = codec.encode(first)
        let second: Lockfile
        do {
            second = try codec.decode(written, file: "rewritten.lock.json")
        } catch {
            fatalError("the writer's output does not decode: \(error)\n\(String(decoding: written, as: UTF8.self))")
        }
        precondition(codec.encode(second) == written, "encoding is not a fixed point")
        precondition(second == wholeSeconds(first), "the round trip changed the lockfile")
    }

    /// `lockfile` with every time truncated to whole seconds, as the writer stores them.
    static func wholeSeconds(_ lockfile: Lockfile) -> Lockfile {
        var result = lockfile
        for (name, entry) in lockfile.entries {
            var copy = entry
            copy.startedAt = entry.startedAt.map(truncated)
            copy.expiresAt = entry.expiresAt.map(truncated)
            result.entries[name] = copy
        }
        return result
    }

    static func truncated(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
