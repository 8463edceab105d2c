import Foundation

/// The contact flows the emulator serves, by contact-flow id: `DIR/<flowId>.json` serves the
/// flow with that id in every instance.
public struct FlowLibrary: Sendable, Hashable {
    /// Flows by contact-flow id.
    public var flows: [String: FlowDocument]

    /// Creates a library.
    public init(flows: [String: FlowDocument] = [:]) {
        self.flows = flows
    }

    /// The flow a chat's ContactFlowId (an id or a contact-flow ARN) names, or `nil`.
    public func flow(forContactFlowId contactFlowId: String) -> FlowDocument? {
        flows[Self.flowId(contactFlowId)]
    }

    /// The id in a contact-flow ARN (`…/contact-flow/<id>`), or the value itself.
    public static func flowId(_ contactFlowId: String) -> String {
        guard contactFlowId.hasPrefix("arn:"), let last = contactFlowId.split(separator: "/").last else { return contactFlowId }
        return String(last)
    }

    /// The largest flow file read, in bytes (1 MiB).
    public static let maximumFileBytes = 1 << 20

    /// What loading a folder produced.
    public struct Loaded: Sendable {
        /// The flows without errors.
        public var library: FlowLibrary
        /// The flow files read, sorted.
        public var files: [String]
        /// Every problem of every file, in file order.
        public var problems: [FlowProblem]
    }

    /// The flow files of `directory`: its `*.json` files (not below it), sorted by name.
    ///
    /// - Throws: The file system's error when the folder cannot be listed.
    public static func flowFiles(in directory: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
            .map { directory.hasSuffix("/") ? directory + $0 : directory + "/" + $0 }
    }

    /// Reads and validates every flow file of `directory`.
    ///
    /// - Parameter directory: The folder (`--flows`, or the project's `spec.flows`).
    /// - Returns: The valid flows and every problem; a folder that cannot be read is one
    ///   problem at the folder.
    public static func load(directory: String) -> Loaded {
        let files: [String]
        do {
            files = try flowFiles(in: directory)
        } catch {
            return Loaded(library: FlowLibrary(), files: [], problems: [FlowProblem(
                file: directory, line: 1, column: 1, path: "", code: "flow.folder",
                message: "cannot read the flows folder: \(error.localizedDescription)")])
        }
        var loaded = Loaded(library: FlowLibrary(), files: files, problems: [])
        let validator = FlowValidator()
        for file in files {
            let data: Data
            do {
                let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
                defer { try? handle.close() }
                // At the end of the file (an empty one) Foundation answers nil, not no bytes.
                data = try handle.read(upToCount: maximumFileBytes + 1) ?? Data()
            } catch {
                let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
                let reason = underlying.map { String(cString: strerror(Int32($0.code))) } ?? error.localizedDescription
                loaded.problems.append(FlowProblem(
                    file: file, line: 1, column: 1, path: "", code: "flow.file", message: "cannot read the file: \(reason)"))
                continue
            }
            guard !data.isEmpty else {
                loaded.problems.append(FlowProblem(
                    file: file, line: 1, column: 1, path: "", code: "flow.file",
                    message: "the file is empty; an exported contact flow is a JSON object"))
                continue
            }
            // The service keeps a flow's Content under 256,000 characters; an export is
            // that JSON pretty-printed, so a file four times as large is not a flow.
            guard data.count <= maximumFileBytes else {
                loaded.problems.append(FlowProblem(
                    file: file, line: 1, column: 1, path: "", code: "flow.file",
                    message: "the file has more than \(maximumFileBytes) bytes; a flow's content is at most 256000 characters"))
                continue
            }
            let result = validator.validate([UInt8](data), file: file)
            loaded.problems += result.problems
            if let document = result.document {
                let id = String((file as NSString).lastPathComponent.dropLast(".json".count))
                loaded.library.flows[id] = document
            }
        }
        return loaded
    }
}
