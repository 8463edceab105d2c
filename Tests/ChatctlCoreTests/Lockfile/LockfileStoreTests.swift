import Foundation
import Testing
@testable import ChatctlCore

@Suite struct LockfileStoreTests {
    @Test func readsAMissingLockfileAsEmpty() throws {
        let folder = try TemporaryFolder()
        #expect(try LockfileStore(path: folder.path("chatctl.lock.json")).read() == Lockfile())
    }

    @Test func replacesTheFileAtomicallyLeavingNoTemporaryFiles() throws {
        let folder = try TemporaryFolder()
        let store = try LockfileStore(path: folder.path("chatctl.lock.json"))
        try store.write(LockfileCodecTests.sample)
        var next = LockfileCodecTests.sample
        next.serial = 8
        try store.write(next)
        #expect(try store.read() == next)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["chatctl.lock.json"])
    }

    @Test func neverOverwritesALockfileItCannotRead() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("chatctl.lock.json", "{ not json")
        #expect(throws: LockfileError.self) { try LockfileStore(path: path).read() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{ not json")
    }

    @Test func aSecondLockWaitsForTheTimeoutThenFailsClearly() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("chatctl.lock.json")
        let first = try LockfileLock.acquire(for: path, timeout: 0)
        let started = Date()
        #expect {
            _ = try LockfileLock.acquire(for: path, timeout: 0.3)
        } throws: { error in
            (error as? LockfileError)?.diagnostic.code == "lockfile.locked"
        }
        #expect(Date().timeIntervalSince(started) >= 0.3)
        first.release()
        let second = try LockfileLock.acquire(for: path, timeout: 0)
        second.release()
    }
}
