import Testing
@testable import ChatctlCore

@Suite struct LockfileLocationTests {
    @Test func theFlagWinsThenTheProjectThenTheFolderThenTheCurrentFolder() {
        #expect(LockfileLocation.resolve(override: "x.json", projectDirectory: "p", configured: "state/l.json", folder: "f") == "x.json")
        #expect(LockfileLocation.resolve(override: nil, projectDirectory: "p", configured: "state/l.json", folder: "f") == "p/state/l.json")
        #expect(LockfileLocation.resolve(override: nil, projectDirectory: "p", configured: nil, folder: "f") == "p/chatctl.lock.json")
        #expect(LockfileLocation.resolve(override: nil, projectDirectory: "", configured: nil, folder: nil) == "chatctl.lock.json")
        #expect(LockfileLocation.resolve(override: nil, projectDirectory: nil, configured: nil, folder: "f") == "f/chatctl.lock.json")
        #expect(LockfileLocation.resolve(override: nil, projectDirectory: nil, configured: nil, folder: nil) == "chatctl.lock.json")
    }

    @Test func theEmulatorLockfileIsBesideTheRealOne() {
        #expect(LockfileLocation.emulatorPath(for: "chatctl.lock.json") == "chatctl.emulator.lock.json")
        #expect(LockfileLocation.emulatorPath(for: "ops/state.json") == "ops/state.emulator.json")
        #expect(LockfileLocation.emulatorPath(for: "ops/lock") == "ops/lock.emulator")
        #expect(LockfileLocation.emulatorPath(for: ".json") == ".json.emulator")
    }
}
