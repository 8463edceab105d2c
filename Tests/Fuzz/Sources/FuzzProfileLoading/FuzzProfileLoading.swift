import CLibFuzzer
import ChatctlCore
import Foundation

/// libFuzzer target: arbitrary bytes as one profile file, through the stages of
/// `chatctl validate FILE` — `ProfileLoader.load(paths:)` (encoding detection, libyaml,
/// the composer and its limits, kinds) then `ProfileValidator.validate(_:)` (both JSON
/// Schemas, the profile rules, the rules across the file's profiles).
///
/// Oracle: besides not crashing, hanging or running out of memory, every diagnostic that
/// has a location points into this file at a 1-based line and column.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProfileLoading(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ProfileLoadingTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

/// Starts libFuzzer; SwiftPM links this as `main` (see CLibFuzzer/shim.h).
@_cdecl("FuzzProfileLoading_main")
public func fuzzProfileLoadingMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzProfileLoading)
}

enum ProfileLoadingTarget {
    /// The schemas are compiled once per process, as one `chatctl validate` run does.
    static let validator: ProfileValidator = {
        do {
            return try ProfileValidator()
        } catch {
            fatalError("\(error)")
        }
    }()

    /// Where the input is written: the loader reads files, as the command does. In memory
    /// (`/dev/shm`) where there is one, and one folder per process, so parallel fuzzing
    /// jobs do not share it; removed when the process exits.
    static let folder: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let folder = ProfileLoader.join(base, "chatctl-fuzz-profile-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: ProfileLoadingTarget.folder) }
        return folder
    }()

    static let file = ProfileLoader.join(folder, "profile.yaml")

    static func run(_ bytes: [UInt8]) {
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
            fatalError("cannot write \(file)")
        }
        let result = validator.validate(ProfileLoader().load(paths: [file]))
        for diagnostic in result.diagnostics {
            _ = diagnostic.text
            if let location = diagnostic.location {
                precondition(location.file == file, "diagnostic in another file: \(location)")
                precondition(location.line >= 1 && location.column >= 1, "location not 1-based: \(location)")
            }
        }
        _ = result.isValid
    }
}
