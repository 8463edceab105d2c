public import ChatctlJSON

/// What a lock entry keeps of one member of the request it launched (docs/lockfile.md,
/// "Member digests"), so the next plan can say which members changed.
public enum MemberRecord: Sendable, Equatable {
    /// A member that is never sensitive (the flow, the instance, the duration, …): its
    /// value as sent, so a plan can show `old → new`.
    case value(JSONValue)
    /// Any other member (attribute and segment attribute values, the initial message, the
    /// display name, the customer id, …): the hex HMAC-SHA256 of its canonical value, keyed
    /// with the lockfile's `memberSalt`. Never the value.
    case digest(String)
}

extension LockEntry {
    /// An entry's member records: decoded, or the compact JSON of the `members` object as
    /// the lockfile holds it, which ``LockfileDecoder`` has checked against the schema, or
    /// (for a reader that never writes, `plan`) only where those checked bytes lie in the
    /// lockfile's file, read again if ever needed.
    enum MemberStorage: Sendable, Equatable {
        case decoded([String: MemberRecord])
        case encoded([UInt8])
        /// The `members` object's bytes at `range` of the file `file` holds open.
        case inFile(LockfileMembersFile, range: Range<Int>)

        var records: [String: MemberRecord] {
            let bytes: [UInt8]
            switch self {
            case .decoded(let records): return records
            case .encoded(let encoded): bytes = encoded
            case .inFile(let file, let range):
                // The file stays open, so a lockfile renamed over it since is not what is read.
                guard let read = file.bytes(range) else { return [:] }
                bytes = read
            }
            // Checked when read, so this parse succeeds; were it ever to fail, or the file
            // no longer hold them, no record is better than a crash: a plan that read members
            // from the file then stops with an error (``Lockfile/checkMembersReadBack()``, which the planner calls).
            guard case .object(let records)? = try? JSONParser.parse(bytes) else { return [:] }
            return MemberRecord.records(records)
        }

        static func == (left: MemberStorage, right: MemberStorage) -> Bool {
            if case .encoded(let a) = left, case .encoded(let b) = right, a == b { return true }
            return left.records == right.records
        }
    }
}

extension MemberRecord {
    /// The records of a `members` object: a record holds exactly one of `digest` and `value`.
    static func records(_ object: [String: JSONValue]) -> [String: MemberRecord] {
        object.mapValues { record in record["digest"]?.stringValue.map(MemberRecord.digest) ?? .value(record["value"] ?? .null) }
    }
}

extension Lockfile {
    /// This lockfile with a member salt, made now if it has none: the first apply that
    /// records members makes it, and it is kept for the life of the lockfile.
    public func salted() -> Lockfile {
        guard memberSalt == nil else { return self }
        var copy = self
        copy.memberSalt = RequestMembers.randomSalt()
        return copy
    }

    /// This lockfile with the members of `plan`'s unchanged profiles recorded in the entries
    /// written before members were: their digest equals the profile's, so the current
    /// members are exactly what was launched. Written with the apply's next write.
    public func recordingMembers(of plan: Plan) -> Lockfile {
        var copy = self
        for call in plan.calls where call.action == .unchanged {
            guard let members = call.definition?.members, var entry = entries[call.profile], entry.memberStorage == nil,
                  entry.storedDigest == call.storedDigest else { continue }
            entry.members = members
            copy.entries[call.profile] = entry
        }
        return copy
    }
}
