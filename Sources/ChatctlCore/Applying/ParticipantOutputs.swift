public import Foundation
public import ChatctlAWS
import ChatctlJSON

/// The `--outputs` file: each started chat's participant token, for the pipeline step
/// that must call CreateParticipantConnection within 5 minutes (docs/plan-and-apply.md, "Participant tokens: `--outputs`").
///
/// The file is created 0600 from the start (never readable by others, even for an
/// instant) and rewritten after every launch, since a token not written is lost. An
/// existing file is merged, not replaced: a resumed run keeps the tokens of chats still
/// inside their window.
public actor ParticipantOutputs {
    /// How long after its start a chat's participant can still connect.
    static let connectWindow: TimeInterval = 300

    public let path: String
    private let writer: AtomicFileWriter
    private var participants: [String: JSONValue]

    /// Opens `path`, keeping the participants of an existing file whose `connectBy` is
    /// still ahead of `now`; removes the temporary files of killed runs, and checks that the
    /// file can be written (``AtomicFileWriter/checkWritable(_:)``), so a folder that does
    /// not exist or is read-only stops apply before its first call, not after chats have
    /// started whose tokens it would lose. Nothing is written until a chat starts.
    /// - Throws: ``LockfileError`` when an existing file cannot be read or is not an
    ///   outputs file (it may hold tokens, so it is never overwritten blindly), or the file
    ///   could not be written.
    public init(path: String, now: Date, fileSystem: any FileSystem = PosixFileSystem()) throws(LockfileError) {
        self.path = path
        writer = AtomicFileWriter(fileSystem: fileSystem)
        participants = try Self.stillConnectable(in: path, now: now)
        writer.removeLeftovers(of: path)
        do {
            try writer.checkWritable(path)
        } catch {
            throw .io(file: error.path, action: error.action, reason: error.reason)
        }
    }

    private static func stillConnectable(in path: String, now: Date) throws(LockfileError) -> [String: JSONValue] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(file: path, action: "read it", reason: "permission denied or not a regular file")
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse([UInt8](data))
        } catch {
            throw .io(file: path, action: "read it", reason: "not valid JSON at \(error.line):\(error.column): \(error.message)")
        }
        guard case .integer(1)? = document["formatVersion"], let members = document["participants"]?.objectValue else {
            throw .io(file: path, action: "merge with it", reason: "it is not a chatctl outputs file (formatVersion 1)")
        }
        return members.filter { _, member in
            guard let text = member["connectBy"]?.stringValue, let connectBy = RFC3339.date(from: text) else { return false }
            return connectBy > now
        }
    }

    /// Records `profile`'s participant and rewrites the file before returning.
    /// - Throws: ``LockfileError`` when the file could not be written.
    public func record(
        _ profile: String, response: StartChatContactResponse, startedAt: Date, region: String?, instance: String?
    ) throws(LockfileError) {
        var member: [String: JSONValue] = [
            "contactId": .string(response.contactId ?? ""),
            "participantId": .string(response.participantId ?? ""),
            "participantToken": .string(response.participantToken?.value ?? ""),
            "connectBy": .string(RFC3339.string(from: startedAt.addingTimeInterval(Self.connectWindow))),
        ]
        if let region { member["region"] = .string(region) }
        if let instance { member["instance"] = .string(instance) }
        participants[profile] = .object(member)
        try Self.write(participants, to: path, with: writer)
    }

    /// Writes the file of `participants` to `path`, 0600, atomically.
    private static func write(
        _ participants: [String: JSONValue], to path: String, with writer: AtomicFileWriter
    ) throws(LockfileError) {
        let document = JSONValue.object(["formatVersion": .integer(1), "participants": .object(participants)])
        do {
            try writer.write(JSONWriter.pretty.bytes(document), to: path, permissions: 0o600)
        } catch {
            throw .io(file: error.path, action: error.action, reason: error.reason)
        }
    }
}
