import ChatctlCore
import Foundation
import Testing

/// Replays `Fixtures/fuzz-regressions/FuzzProfileLoading/*` as the fuzz target runs them,
/// the path of `chatctl validate FILE`: each input is one profile file, loaded and
/// validated. None may crash; each ends in diagnostics at 1-based places in that file.
@Suite struct ProfileLoadingFuzzRegressionTests {
    @Test func hasInputsToReplay() {
        #expect(FuzzRegressionFile.all("FuzzProfileLoading").count >= 3)
    }

    @Test(arguments: FuzzRegressionFile.all("FuzzProfileLoading"))
    func loadsAndValidatesWithoutCrashing(input: FuzzRegressionFile) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatctl-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("profile.yaml").path
        try Data(input.bytes()).write(to: URL(fileURLWithPath: file))

        let result = try ProfileValidator().validate(ProfileLoader().load(paths: [file]))

        #expect(!result.isValid || result.profileCount > 0)
        for diagnostic in result.diagnostics {
            #expect(!diagnostic.code.isEmpty && !diagnostic.text.isEmpty)
            if let location = diagnostic.location {
                #expect(location.file == file)
                #expect(location.line >= 1 && location.column >= 1, "\(location)")
            }
        }
    }
}
