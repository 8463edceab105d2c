import ChatctlCore
import ChatctlJSON
import Foundation

/// A plan saved by `chatctl plan --out`, read back by `chatctl apply FILE`.
struct SavedPlan {
    var inputs: SavedPlanInputs
    var lockfile: String?
    var lockfileSerial: Int
    var inputsDigest: String
    var path: String

    /// The largest saved plan read: far beyond any plan's (some 1.5 KB a profile), short of
    /// what would exhaust memory.
    static let sizeLimit = 1 << 32

    /// The saved plan when `paths` is one JSON file, else `nil`.
    static func readIfPlan(_ paths: [String]) throws -> SavedPlan? {
        guard paths.count == 1, paths[0].hasSuffix(".json") else { return nil }
        let path = paths[0]
        // Never open a FIFO (it would block): only a regular file can be a saved plan.
        // Read straight into one array (no `Data` copied into it: a saved plan of 100,000
        // profiles is 143 MB).
        guard InputFileSystem.local.targetKind(path) == .regular else {
            throw CommandFailure(Diagnostic(location: nil, code: "plan.unreadable", message: "\(path): cannot be read"))
        }
        let bytes: [UInt8]
        switch InputFileSystem.contents(of: path, limit: Self.sizeLimit) {
        case .bytes(let read): bytes = read
        case .tooLarge(let size):
            throw CommandFailure(Diagnostic(
                location: nil, code: "plan.unreadable",
                message: "\(path): \(size) bytes, more than a saved plan can be (\(Self.sizeLimit) bytes)"))
        case .unopenable:
            throw CommandFailure(Diagnostic(location: nil, code: "plan.unreadable", message: "\(path): cannot be read"))
        case .failed(let reason):
            throw CommandFailure(Diagnostic(location: nil, code: "plan.unreadable", message: "\(path): cannot be read: \(reason)"))
        }
        let value: JSONValue
        do {
            // Its actions are checked as JSON but not kept: apply plans again from the
            // recorded inputs, and a plan of 100,000 profiles holds 143 MB of them.
            value = try JSONParser.parse(bytes, skippingMembers: ["actions"])
        } catch {
            throw CommandFailure(Diagnostic(
                location: SourceLocation(file: path, line: error.line, column: error.column), code: "plan.corrupt",
                message: "the saved plan is not valid JSON: \(error.message)"))
        }
        guard case .integer(Plan.formatVersion)? = value["formatVersion"], let inputs = value["inputs"].flatMap(SavedPlanInputs.init(json:)),
              case .integer(let serial)? = value["lockfileSerial"], let digest = value["inputsDigest"]?.stringValue
        else {
            throw CommandFailure(Diagnostic(
                location: nil, code: "plan.invalid", message: "\(path) is not a plan saved by `chatctl plan --out`"))
        }
        return SavedPlan(inputs: inputs, lockfile: value["lockfile"]?.stringValue, lockfileSerial: serial,
                         inputsDigest: digest, path: path)
    }

    /// What apply reads for this plan: the files it recorded, else (a plan saved by an
    /// older chatctl) its paths again.
    var validationInputs: Validation.Inputs {
        if let profileFiles = inputs.profileFiles {
            return .recorded(projectFile: inputs.projectFile, profileFiles: profileFiles)
        }
        return .paths(inputs.paths)
    }

    /// Refuses the saved plan when the lockfile or the inputs moved since it was made.
    func checkCurrent(against plan: Plan) throws {
        if plan.lockfileSerial != lockfileSerial {
            throw CommandFailure(Diagnostic(
                location: nil, code: "plan.stale",
                message: "the saved plan \(path) is stale: the lockfile is at serial \(plan.lockfileSerial), the plan was made at \(lockfileSerial)",
                hint: "another apply ran since; run `\(inputs.planCommand(out: path))` again and review it"))
        }
        if plan.inputsDigest != inputsDigest {
            throw CommandFailure(Diagnostic(
                location: nil, code: "plan.stale",
                message: "the saved plan \(path) is stale: the profiles or the project changed since it was made",
                hint: "run `\(inputs.planCommand(out: path))` again and review it"))
        }
    }
}
