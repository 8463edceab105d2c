public import ChatctlAWS
public import ChatctlJSON

/// The members of a profile's canonical StartChatContact request, one by one (issue 17):
/// what a lock entry records of each, and which of them a plan shows as changed.
///
/// A member is a top-level member of the request, or one level into `Attributes`,
/// `SegmentAttributes`, `ParticipantDetails`, `InitialMessage` and `PersistentChat`
/// (`Attributes.tier`), plus the declared region (`Region`). Member names, attribute and
/// segment attribute names included, are never sensitive; only the values listed in
/// ``plainMembers`` are kept and shown in plain.
public enum RequestMembers {
    /// The pseudo-member of the declared region (part of the digest, not of the body).
    public static let regionMember = "Region"

    /// Members whose values are never sensitive: recorded and shown as they are.
    public static let plainMembers: Set<String> = [
        "ContactFlowId", "InstanceId", "ChatDurationInMinutes", "SupportedMessagingContentTypes",
        "ParticipantConfiguration", "DisconnectOnCustomerExit", regionMember,
    ]

    /// Members recorded one level deep, so a change names the attribute that changed.
    static let expandedMembers: Set<String> = [
        "Attributes", "SegmentAttributes", "ParticipantDetails", "InitialMessage", "PersistentChat",
    ]

    /// True when `member`'s value may hold personal data: recorded as a salted digest only,
    /// never shown (not even as a digest) in a plan.
    public static func isSensitive(_ member: String) -> Bool { !plainMembers.contains(member) }

    /// Each member of `request` (unresolved, without ClientToken, as the profile digest
    /// sees it) with its value.
    public static func values(of request: StartChatContactRequest, region: String?) -> [String: JSONValue] {
        guard case .object(let body)? = try? JSONParser.parse(request.jsonBody()) else { return [:] }
        var values: [String: JSONValue] = [:]
        for (name, value) in body {
            if expandedMembers.contains(name), case .object(let inner) = value {
                for (key, member) in inner { values["\(name).\(key)"] = member }
            } else {
                values[name] = value
            }
        }
        if let region { values[regionMember] = .string(region) }
        return values
    }

    /// What a lock entry records of `request`'s members, digests keyed with `salt`.
    public static func record(of request: StartChatContactRequest, region: String?, salt: String) -> [String: MemberRecord] {
        var record: [String: MemberRecord] = [:]
        for (member, value) in values(of: request, region: region) {
            record[member] = isSensitive(member) ? .digest(digest(of: value, member: member, salt: salt)) : .value(value)
        }
        return record
    }

    /// The hex HMAC-SHA256, keyed with the lockfile's salt, of the member's name and
    /// canonical value (compact JSON, sorted keys). Keyed, so a table of the digests of
    /// short values ("gold", "yes") made for one lockfile is useless for any other, and
    /// two lockfiles holding the same value do not show it.
    static func digest(of value: JSONValue, member: String, salt: String) -> String {
        let message = Array("chatctl-member-1\n\(member)\n".utf8) + JSONWriter.compact.bytes(value)
        return hex(HMACSHA256.authenticationCode(key: Array(salt.utf8), message: message))
    }

    /// A fresh salt: 128 random bits, 32 lower-case hex digits.
    public static func randomSalt() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// The members that differ between what an entry recorded and what a profile asks for
    /// now (both keyed with the same salt): those shown with their values first, then the
    /// sensitive ones, each sorted by member name.
    /// - Parameter fromDefaults: whether the profile takes a member's current value from the
    ///   project file's `spec.defaults`.
    public static func changes(
        from recorded: [String: MemberRecord], to current: [String: MemberRecord], fromDefaults: (String) -> Bool
    ) -> [MemberChange] {
        var changes: [MemberChange] = []
        let members = Set(recorded.keys).union(current.keys).sorted { left, right in
            isSensitive(left) == isSensitive(right) ? JSONWriter.utf8Precedes(left, right) : !isSensitive(left)
        }
        for member in members {
            let before = recorded[member]
            let after = current[member]
            guard before != after else { continue }
            func plain(_ record: MemberRecord?) -> JSONValue? {
                if case .value(let value)? = record { return value }
                return nil
            }
            let sensitive = isSensitive(member)
            changes.append(MemberChange(
                member: member, before: sensitive ? nil : plain(before), after: sensitive ? nil : plain(after),
                sensitive: sensitive, kind: before == nil ? .added : after == nil ? .removed : .changed,
                viaDefaults: after != nil && fromDefaults(member)))
        }
        return changes
    }
}

/// One member of a profile's request that changed since its chat was launched.
public struct MemberChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case added, removed, changed
    }

    /// The member's path (`ChatDurationInMinutes`, `Attributes.tier`).
    public var member: String
    /// The recorded value; `nil` when the member was absent or is sensitive.
    public var before: JSONValue?
    /// The current value; `nil` when the member is absent now or is sensitive.
    public var after: JSONValue?
    /// A member whose values are never shown.
    public var sensitive: Bool
    public var kind: Kind
    /// The current value comes from the project file's `spec.defaults`.
    public var viaDefaults: Bool

    public init(member: String, before: JSONValue?, after: JSONValue?, sensitive: Bool, kind: Kind, viaDefaults: Bool) {
        self.member = member
        self.before = before
        self.after = after
        self.sensitive = sensitive
        self.kind = kind
        self.viaDefaults = viaDefaults
    }

    /// `ChatDurationInMinutes 1500 → 90`, `Attributes.tier changed`, with ` via chatctl.yaml
    /// defaults` when that is where the new value comes from.
    public var summary: String {
        var text: String
        if sensitive {
            text = "\(member) \(kind.rawValue)"
        } else {
            text = "\(member) \(Self.shown(before)) → \(Self.shown(after))"
        }
        if viaDefaults { text += " via chatctl.yaml defaults" }
        return text
    }

    /// A plain value as a plan shows it: strings bare, anything else as compact JSON.
    public static func shown(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        if let text = value.stringValue { return text }
        return JSONWriter.compact.string(value)
    }
}
