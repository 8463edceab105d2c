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
        // Fields are found by scanning the UTF-8 bytes (ARNs are ASCII) into substrings, with
        // no array of parts: this runs for every profile, and only the fields kept become Strings.
        var fields = FieldScanner(text[...], separator: UInt8(ascii: ":"))
        guard let arn = fields.next(), arn == "arn", let partition = fields.next(), let service = fields.next(),
              let region = fields.next(), let account = fields.next(), let resource = fields.rest()
        else {
            return .failure(.init("is not a well-formed ARN (arn:partition:connect:region:account:resource)"))
        }
        guard partition == "aws" || partition.hasPrefix("aws-"), partition.allSatisfy({ $0.isLetter || $0 == "-" }) else {
            return .failure(.init("has an unknown partition \(JSONPointer.quoted(String(partition))) (expected aws, aws-cn, aws-us-gov, …)"))
        }
        guard service == "connect" else {
            return .failure(.init("is an ARN of the service \(JSONPointer.quoted(String(service))), not of Amazon Connect"))
        }
        guard isRegion(region) else {
            return .failure(.init("has an invalid region \(JSONPointer.quoted(String(region)))"))
        }
        guard account.utf8.count == 12, account.utf8.allSatisfy({ (48...57).contains($0) }) else {
            return .failure(.init("has an invalid account id \(JSONPointer.quoted(String(account))) (12 digits expected)"))
        }
        var segments = FieldScanner(resource, separator: UInt8(ascii: "/"))
        guard segments.next() == "instance", let instanceID = segments.next(), isID(instanceID) else {
            return .failure(.init("has no instance/<id> resource"))
        }
        let third = segments.next()
        let fourth = segments.next()
        let fifth = segments.next()
        let kind: Resource
        switch (third, fourth, fifth) {
        case (nil, _, _): kind = .instance
        case ("contact-flow"?, let id?, nil) where isID(id): kind = .contactFlow(id: String(id))
        default: kind = .other(third.map(String.init) ?? "")
        }
        return .success(ConnectARN(partition: String(partition), region: String(region), account: String(account),
                                   instanceID: String(instanceID), resource: kind))
    }

    /// Why a text is not a Connect ARN.
    public struct ParseFailure: Error, Sendable, Hashable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The fields of a text between single-byte separators, one at a time, as substrings
    /// (empty fields included, as `split` with `omittingEmptySubsequences: false` gives them).
    private struct FieldScanner {
        private let text: Substring
        private var start: Substring.Index?
        private let separator: UInt8

        init(_ text: Substring, separator: UInt8) {
            self.text = text
            self.start = text.startIndex
            self.separator = separator
        }

        /// The next field, or `nil` after the last.
        mutating func next() -> Substring? {
            guard let from = start else { return nil }
            guard let end = text.utf8[from...].firstIndex(of: separator) else {
                start = nil
                return text[from...]
            }
            start = text.utf8.index(after: end)
            return text[from..<end]
        }

        /// Everything from the next field to the end, separators included, or `nil` after the last field.
        mutating func rest() -> Substring? {
            guard let from = start else { return nil }
            start = nil
            return text[from...]
        }
    }

    /// `us-west-2`, `ap-southeast-1`, `us-gov-west-1`, `cn-north-1`.
    public static func isRegion(_ text: some StringProtocol) -> Bool {
        // Parts between dashes, in one scan (no array of parts): every part but the last
        // non-empty lowercase letters, the last non-empty digits, at least three parts.
        var parts = 1
        var length = 0
        var letters = true
        var digits = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") {
                guard length > 0, letters else { return false }
                parts += 1
                (length, letters, digits) = (0, true, true)
                continue
            }
            length += 1
            letters = letters && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            digits = digits && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return parts >= 3 && length > 0 && digits
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
