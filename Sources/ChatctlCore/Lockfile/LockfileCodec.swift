import Foundation
import ChatctlJSON

/// Lockfile bytes ⇄ ``Lockfile``: deterministic output (sorted keys, two-space indent,
/// trailing newline, so git diffs stay small) and strict input (JSON syntax with
/// positions, the format version, then the published lockfile schema).
public struct LockfileCodec: Sendable {
    private let schema: SchemaValidator

    /// - Throws: ``EmbeddedSchemaError`` if the embedded lockfile schema is broken,
    ///   which the test suite rules out.
    public init() throws(EmbeddedSchemaError) {
        do {
            schema = try SchemaValidator(schema: try JSONParser.parse(EmbeddedSchemas.lockfile))
        } catch {
            throw EmbeddedSchemaError(schema: "lockfile", reason: "\(error)")
        }
    }

    // MARK: Encoding

    /// The file's bytes for `lockfile`.
    public func encode(_ lockfile: Lockfile) -> [UInt8] {
        JSONWriter.pretty.bytes(json(lockfile))
    }

    func json(_ lockfile: Lockfile) -> JSONValue {
        var entries: [String: JSONValue] = [:]
        for (name, entry) in lockfile.entries { entries[name] = json(entry) }
        var members: [String: JSONValue] = [
            // Always the current version: an older lockfile is upgraded by its next write.
            "lockfileVersion": .integer(Lockfile.currentVersion),
            "serial": .integer(lockfile.serial),
            "entries": .object(entries),
        ]
        if let endpoint = lockfile.endpoint {
            var record: [String: JSONValue] = ["kind": .string(endpoint.kind)]
            if case .custom(let url) = endpoint { record["url"] = .string(url) }
            members["endpoint"] = .object(record)
        }
        if let inputs = lockfile.inputs {
            members["inputs"] = .object(["roots": .array(inputs.roots.map(JSONValue.string))])
        }
        if let salt = lockfile.memberSalt { members["memberSalt"] = .string(salt) }
        return .object(members)
    }

    /// One entry's object, as it appears under `entries`.
    func json(_ entry: LockEntry) -> JSONValue {
        var members: [String: JSONValue] = [
            "digest": .string(entry.digest),
            "generation": .integer(entry.generation),
            "clientToken": .string(entry.clientToken),
            "status": .string(entry.status.rawValue),
        ]
        // Absent facts are left out, never written as null.
        let optionalStrings: [(String, String?)] = [
            ("contactId", entry.contactId), ("participantId", entry.participantId),
            ("participantTokenSha256", entry.participantTokenSha256),
            ("continuedFromContactId", entry.continuedFromContactId), ("relatedContactId", entry.relatedContactId),
            ("region", entry.region),
            ("instance", entry.instance),
            ("startedAt", entry.startedAt.map(RFC3339.string)), ("expiresAt", entry.expiresAt.map(RFC3339.string)),
            ("stoppedAt", entry.stoppedAt.map(RFC3339.string)),
        ]
        for (key, value) in optionalStrings {
            if let value { members[key] = .string(value) }
        }
        if let attempts = entry.attempts { members["attempts"] = .integer(attempts) }
        if let error = entry.error {
            var failure: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
            if let requestId = error.requestId { failure["requestId"] = .string(requestId) }
            members["error"] = .object(failure)
        }
        if let observed = entry.observed { members["observed"] = json(observed) }
        if let records = entry.members {
            members["members"] = .object(records.mapValues { record in
                switch record {
                case .value(let value): .object(["value": value])
                case .digest(let digest): .object(["digest": .string(digest)])
                }
            })
        }
        if let replacing = entry.replacing { members["replacing"] = json(replacing) }
        if let verification = entry.verification {
            var record: [String: JSONValue] = [
                "status": .string(verification.status.rawValue), "at": .string(RFC3339.string(from: verification.at)),
            ]
            if let step = verification.failedStep { record["failedStep"] = .integer(step) }
            members["verification"] = .object(record)
        }
        return .object(members)
    }

    private func json(_ replacing: LockEntry.Replacement) -> JSONValue {
        var members: [String: JSONValue] = ["contactId": .string(replacing.contactId), "then": .string(replacing.then.rawValue)]
        let optionalStrings: [(String, String?)] = [
            ("instance", replacing.instance), ("region", replacing.region),
            ("expiresAt", replacing.expiresAt.map(RFC3339.string)),
        ]
        for (key, value) in optionalStrings {
            if let value { members[key] = .string(value) }
        }
        return .object(members)
    }

    /// Only the state and its times: nothing else DescribeContact answered is kept.
    private func json(_ observed: LockEntry.Observation) -> JSONValue {
        var members: [String: JSONValue] = [
            "state": .string(observed.state.rawValue), "refreshedAt": .string(RFC3339.string(from: observed.refreshedAt)),
        ]
        let optionalStrings: [(String, String?)] = [
            ("disconnectedAt", observed.disconnectedAt.map(RFC3339.string)),
            ("queuedAt", observed.queuedAt.map(RFC3339.string)), ("queueId", observed.queueId),
            ("agentConnectedAt", observed.agentConnectedAt.map(RFC3339.string)),
        ]
        for (key, value) in optionalStrings {
            if let value { members[key] = .string(value) }
        }
        return .object(members)
    }

    // MARK: Decoding

    /// The lockfile in `bytes`, read from `file` (named in errors).
    /// - Throws: ``LockfileError`` for invalid JSON (with line and column), a newer
    ///   format version, or content that does not match the lockfile schema.
    public func decode(_ bytes: [UInt8], file: String) throws(LockfileError) -> Lockfile {
        // The typed pass reads a valid lockfile without a JSON tree; anything else is read
        // the generic way below, which says exactly what is wrong and where.
        if let lockfile = LockfileDecoder.decode(bytes) { return lockfile }
        return try decodeGenerically(bytes, file: file)
    }

    /// ``decode(_:file:)`` through the JSON parser and the schema validator: the reading
    /// that names every problem (and the reference the typed pass is tested against).
    func decodeGenerically(_ bytes: [UInt8], file: String) throws(LockfileError) -> Lockfile {
        let misfit: Misfit
        do {
            return try lockfile(in: JSONParser.parse(bytes))
        } catch let error as JSONParseError {
            throw .corrupt(file: file, line: error.line, column: error.column, reason: error.message)
        } catch let error as Misfit {
            misfit = error
        } catch {
            // Not thrown by either (each throws its own type); reported rather than trapped.
            throw .invalid(file: file, path: "", message: "\(error)")
        }
        // The value is freed before the problem's place is looked for (a second reading
        // that keeps nothing but that place).
        throw misfit.lockfileError(file: file, bytes: bytes)
    }

    /// A problem with the content of a lockfile that is valid JSON, and the value it lies
    /// in: made a ``LockfileError`` with that value's line and column once it is known that
    /// there is a problem (the positions are only recorded then, by a second parse).
    private struct Misfit: Error {
        enum Kind {
            case invalid(String)
            case tooLarge
            case newerVersion(Int)
        }

        var kind: Kind
        var pointer: JSONPointer
        /// Whether the problem is the member's name rather than its value.
        var atKey = false

        func lockfileError(file: String, bytes: [UInt8]) -> LockfileError {
            let (line, column) = JSONParser.position(of: pointer, atKey: atKey, in: bytes)
            switch kind {
            case .invalid(let message): return .invalid(file: file, line: line, column: column, path: pointer.fieldPath, message: message)
            case .tooLarge: return .tooLarge(file: file, line: line, column: column, path: pointer.fieldPath)
            case .newerVersion(let version): return .newerVersion(file: file, line: line, column: column, version: version)
            }
        }
    }

    private func lockfile(in value: JSONValue) throws(Misfit) -> Lockfile {
        if case .integer(let version)? = value["lockfileVersion"], version > Lockfile.currentVersion {
            throw Misfit(kind: .newerVersion(version), pointer: JSONPointer([.key("lockfileVersion")]))
        }
        if let violation = schema.validate(value).first {
            throw Misfit(kind: .invalid(violation.message), pointer: violation.instancePath, atKey: violation.pointsAtKey)
        }
        var lockfile = Lockfile(
            serial: try Self.bounded(value["serial"], at: JSONPointer([.key("serial")])) ?? 0,
            endpoint: Self.endpoint(value["endpoint"]),
            inputs: value["inputs"]?["roots"]?.arrayValue.map { LockfileInputs(roots: $0.compactMap(\.stringValue)) },
            memberSalt: value["memberSalt"]?.stringValue)
        for (name, entry) in value["entries"]?.objectValue ?? [:] {
            lockfile.entries[name] = try Self.entry(entry, at: JSONPointer([.key("entries"), .key(name)]))
        }
        return lockfile
    }

    /// An integer member, refused when it is beyond `Int.max` (the parser reads such a
    /// number as a double, which the schema's `integer` accepts when it has no fraction):
    /// read as 0 or wrapped, it would silently change what the lockfile says.
    private static func bounded(_ value: JSONValue?, at pointer: JSONPointer) throws(Misfit) -> Int? {
        switch value {
        case .integer(let number)?: return number
        case .double(let number)?:
            if let exact = Int(exactly: number) { return exact }
            throw Misfit(kind: .tooLarge, pointer: pointer)
        default: return nil
        }
    }

    /// The recorded endpoint (the schema has checked its shape); `nil` in a version 1 lockfile.
    private static func endpoint(_ value: JSONValue?) -> LockfileEndpoint? {
        switch value?["kind"]?.stringValue {
        case "aws": .aws
        case "emulator": .emulator
        case "custom": .custom(normalising: value?["url"]?.stringValue ?? "")
        default: nil
        }
    }

    private static func entry(_ value: JSONValue, at entryPointer: JSONPointer) throws(Misfit) -> LockEntry {
        // The schema has checked types and required members; these reads cannot fail
        // short of a schema that disagrees with this code, which the tests rule out.
        let generation = try bounded(value["generation"], at: entryPointer.appending(.key("generation")))
        let attempts = try bounded(value["attempts"], at: entryPointer.appending(.key("attempts")))
        guard let digest = value["digest"]?.stringValue, let generation,
              let clientToken = value["clientToken"]?.stringValue,
              let status = value["status"]?.stringValue.flatMap(LockEntry.Status.init(rawValue:))
        else { throw Misfit(kind: .invalid("is incomplete"), pointer: entryPointer) }
        func date(_ key: String, in object: JSONValue = value, under record: String? = nil) throws(Misfit) -> Date? {
            guard let text = object[key]?.stringValue else { return nil }
            guard let date = RFC3339.date(from: text) else {
                let recordPointer = record.map { entryPointer.appending(.key($0)) } ?? entryPointer
                throw Misfit(kind: .invalid("is not an RFC 3339 time"), pointer: recordPointer.appending(.key(key)))
            }
            return date
        }
        var observed: LockEntry.Observation?
        if let record = value["observed"],
           let state = record["state"]?.stringValue.flatMap(LockEntry.Observation.State.init(rawValue:)),
           let refreshedAt = try date("refreshedAt", in: record, under: "observed") {
            observed = LockEntry.Observation(
                state: state, refreshedAt: refreshedAt,
                disconnectedAt: try date("disconnectedAt", in: record, under: "observed"),
                queuedAt: try date("queuedAt", in: record, under: "observed"), queueId: record["queueId"]?.stringValue,
                agentConnectedAt: try date("agentConnectedAt", in: record, under: "observed"))
        }
        var replacing: LockEntry.Replacement?
        if let record = value["replacing"], let contact = record["contactId"]?.stringValue,
           let then = record["then"]?.stringValue.flatMap(LockEntry.Replacement.Disposition.init(rawValue:)) {
            replacing = LockEntry.Replacement(
                contactId: contact, instance: record["instance"]?.stringValue, region: record["region"]?.stringValue,
                expiresAt: try date("expiresAt", in: record, under: "replacing"), then: then)
        }
        var verification: LockEntry.Verification?
        if let record = value["verification"],
           let status = record["status"]?.stringValue.flatMap(LockEntry.Verification.Status.init(rawValue:)),
           let at = try date("at", in: record, under: "verification") {
            verification = LockEntry.Verification(
                status: status, at: at,
                failedStep: try bounded(record["failedStep"], at: entryPointer.appending(.key("verification")).appending(.key("failedStep"))))
        }
        let error = value["error"].map { failure in
            LockEntry.Failure(
                code: failure["code"]?.stringValue ?? "", message: failure["message"]?.stringValue ?? "",
                requestId: failure["requestId"]?.stringValue)
        }
        return LockEntry(
            digest: digest, generation: generation, clientToken: clientToken, status: status,
            contactId: value["contactId"]?.stringValue, participantId: value["participantId"]?.stringValue,
            participantTokenSha256: value["participantTokenSha256"]?.stringValue,
            continuedFromContactId: value["continuedFromContactId"]?.stringValue,
            region: value["region"]?.stringValue, instance: value["instance"]?.stringValue,
            startedAt: try date("startedAt"), expiresAt: try date("expiresAt"),
            attempts: attempts, error: error, stoppedAt: try date("stoppedAt"), observed: observed,
            relatedContactId: value["relatedContactId"]?.stringValue, replacing: replacing,
            // The schema allows exactly one of the two members per record.
            members: value["members"]?.objectValue.map(MemberRecord.records), verification: verification)
    }
}
