import Foundation
import Testing
@testable import ChatctlCore

@Suite struct LockfileEndpointTests {
    static let entry = LockEntry(
        digest: "sha256:" + String(repeating: "a", count: 64), generation: 1, clientToken: "t", status: .started,
        contactId: "c-1")

    @Test func refusesChatsOfAnotherEndpoint() {
        let emulator = Lockfile(serial: 1, endpoint: .emulator, entries: ["a": Self.entry])
        let error = emulator.endpointConflict(with: .aws, file: "chatctl.lock.json")
        #expect(error?.diagnostic.code == "lockfile.endpoint")
        #expect(error?.diagnostic.message
            == "chatctl.lock.json records chats made on the chatctl emulator; this run is against Amazon Connect, where they do not exist")
        #expect(emulator.endpointConflict(with: .emulator, file: "l") == nil)
        let custom = Lockfile(serial: 1, endpoint: .custom(url: "http://a"), entries: ["a": Self.entry])
        #expect(custom.endpointConflict(with: .custom(url: "http://b"), file: "l") != nil)
        #expect(custom.endpointConflict(with: .aws, file: "l") != nil)
        #expect(custom.endpointConflict(with: .custom(normalising: "http://a/"), file: "l") == nil)
    }

    /// A version 1 lockfile was meant for Amazon Connect: an emulator run refuses it too.
    @Test func aLockfileWithoutARecordIsAmazonConnects() {
        let legacy = Lockfile(serial: 1, entries: ["a": Self.entry])
        #expect(legacy.endpointConflict(with: .aws, file: "l") == nil)
        #expect(legacy.endpointConflict(with: .emulator, file: "l") != nil)
    }

    @Test func aLockfileWithoutEntriesGoesAnywhere() {
        #expect(Lockfile(serial: 3, endpoint: .emulator).endpointConflict(with: .aws, file: "l") == nil)
    }
}
