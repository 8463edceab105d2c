import ChatctlCore
import Foundation
import Testing

/// Replays `Fixtures/fuzz-regressions/FuzzLockfileDecoding/*` as the fuzz target runs
/// them: an input either fails with a `LockfileError`, or it decodes, and then what the
/// writer makes of it decodes again to the same lockfile (times in whole seconds) and is
/// written to the same bytes.
@Suite struct LockfileFuzzRegressionTests {
    @Test func hasInputsToReplay() {
        #expect(FuzzRegressionFile.all("FuzzLockfileDecoding").count >= 3)
    }

    @Test(arguments: FuzzRegressionFile.all("FuzzLockfileDecoding"))
    func decodesOrFailsCleanlyAndRoundTrips(input: FuzzRegressionFile) throws {
        let codec = try LockfileCodec()
        let bytes = try input.bytes()
        let first: Lockfile
        do {
            first = try codec.decode(bytes, file: "chatctl.lock.json")
        } catch {
            #expect(error.diagnostic.location?.file ?? "chatctl.lock.json" == "chatctl.lock.json")
            #expect(!error.diagnostic.text.isEmpty)
            return
        }
        let written = codec.encode(first)
        let second = try codec.decode(written, file: "rewritten.lock.json")
        #expect(codec.encode(second) == written)
        #expect(second == Self.wholeSeconds(first))
    }

    /// `lockfile` with every time truncated to whole seconds, as the writer stores them.
    static func wholeSeconds(_ lockfile: Lockfile) -> Lockfile {
        var result = lockfile
        for (name, entry) in lockfile.entries {
            var copy = entry
            copy.startedAt = entry.startedAt.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
            copy.expiresAt = entry.expiresAt.map { Date(timeIntervalSince1970: $0.timeIntervalSince1970.rounded(.down)) }
            result.entries[name] = copy
        }
        return result
    }
}
