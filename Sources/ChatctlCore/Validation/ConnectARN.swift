import ChatctlJSON
/// An Amazon Connect ARN naming an instance or a contact flow:
/// `arn:<partition>:connect:<region>:<account>:instance/<instance-id>[/contact-flow/<flow-id>]`.
public struct ConnectARN: Sendable, Hashable {
    public enum Resource: Sendable, Hashable {
        case instance
        case contactFlow(id: String)
        /// Any other Connect resource (queue, agent, …): well-formed but the wrong type here.
        case other(String)
    }

    public var partition: String
    public var region: String
    public var account: String
    public var instanceID: String
    public var resource: Resource

    /// Parses `text`, or explains in a short phrase why it is not a Connect ARN.
    public static func parse(_ text: String) -> Result<ConnectARN, ParseFailure> {
        // Split on the UTF-8 bytes (ARNs are ASCII), into substrings: this runs for every
        // profile, and only the fields kept become Strings.
        let parts = text.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 5, omittingEmptySubsequences: false)
            .map { Substring($0) }
        guard parts.count == 6, parts[0] == "arn" else {
            return .failure(.init("is not a well-formed ARN (arn:partition:connect:region:account:resource)"))
        }
        let (partition, service, region, account, resource) = (parts[1], parts[2], parts[3], parts[4], parts[5])
        guard partition == "aws" || partition.hasPrefix("aws-"), partition.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            return .failure(.init("has an unknown partition \(JSONPointer.quoted(String(partition))) (expected aws, aws-cn, aws-us-gov, …)"))
        }
        guard service == "connect" else {
            return .failure(.init("is an ARN of the service \(JSONPointer.quoted(String(service))), not of Amazon Connect"))
        }
        guard isRegion(region) else {
            return .failure(.init("has an invalid region \(JSONPointer.quoted(String(region)))"))
        }
        guard account.count == 12, account.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return .failure(.init("has an invalid account id \(JSONPointer.quoted(String(account))) (12 digits expected)"))
        }
        let segments = resource.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { Substring($0) }
        guard segments.count >= 2, segments[0] == "instance", isID(segments[1]) else {
            return .failure(.init("has no instance/<id> resource"))
        }
        let kind: Resource
        switch segments.count {
        case 2: kind = .instance
        case 4 where segments[2] == "contact-flow" && isID(segments[3]): kind = .contactFlow(id: String(segments[3]))
        default: kind = .other(segments.dropFirst(2).first.map(String.init) ?? "")
        }
        return .success(ConnectARN(partition: String(partition), region: String(region), account: String(account),
                                   instanceID: String(segments[1]), resource: kind))
    }

    /// Why a text is not a Connect ARN.
    public struct ParseFailure: Error, Sendable, Hashable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// `us-west-2`, `ap-southeast-1`, `us-gov-west-1`, `cn-north-1`.
    public static func isRegion(_ text: some StringProtocol) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, !last.isEmpty,
              last.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
        return parts.dropLast().allSatisfy { part in
            !part.isEmpty && part.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
        }
    }

    /// Letters, digits, `-` and `_` (ASCII), 1 to 256 of them.
    private static func isID(_ text: some StringProtocol) -> Bool {
        let bytes = text.utf8
        return !bytes.isEmpty && bytes.count <= 256 && bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}

extension ConnectARN.Resource {
    /// `an instance`, `a contact flow`, `a queue resource`: for messages.
    var phrase: String {
        switch self {
        case .instance: "an instance"
        case .contactFlow: "a contact flow"
        case .other(let kind): kind.isEmpty ? "another resource" : "a \(kind) resource"
        }
    }
}

/// Whether an ARN in `instance` or `flow` is acceptable as it stands.
enum ARNRule {
    static func isAcceptable(_ text: String, field: String) -> Bool {
        guard case .success(let arn) = ConnectARN.parse(text) else { return false }
        switch (field, arn.resource) {
        case ("instance", .instance), ("flow", .contactFlow): return true
        default: return false
        }
    }
}
