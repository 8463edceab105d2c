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
        // Fields are found by scanning one array of the UTF-8 bytes (ARNs are ASCII) with
        // integer offsets, and only the fields kept become Strings: this runs for every
        // profile, and the substring and index arithmetic it replaced was 4% of
        // `chatctl validate`'s instructions. The separators are ASCII, which no byte of a
        // multi-byte UTF-8 sequence is, so splitting bytes splits characters.
        let bytes = Array(text.utf8)
        var fields = FieldScanner(bytes, from: 0, to: bytes.count, separator: UInt8(ascii: ":"))
        guard let arn = fields.next(), fields.equals(arn, "arn"), let partition = fields.next(),
              let service = fields.next(), let region = fields.next(), let account = fields.next(),
              let resource = fields.rest()
        else {
            return .failure(.init("is not a well-formed ARN (arn:partition:connect:region:account:resource)"))
        }
        guard fields.equals(partition, "aws") || fields.hasPrefix(partition, "aws-"), isPartitionText(bytes[partition])
        else {
            return .failure(.init("has an unknown partition \(JSONPointer.quoted(fields.string(partition))) (expected aws, aws-cn, aws-us-gov, …)"))
        }
        guard fields.equals(service, "connect") else {
            return .failure(.init("is an ARN of the service \(JSONPointer.quoted(fields.string(service))), not of Amazon Connect"))
        }
        guard isRegion(bytes[region]) else {
            return .failure(.init("has an invalid region \(JSONPointer.quoted(fields.string(region)))"))
        }
        guard account.count == 12, bytes[account].allSatisfy({ (48...57).contains($0) }) else {
            return .failure(.init("has an invalid account id \(JSONPointer.quoted(fields.string(account))) (12 digits expected)"))
        }
        var segments = FieldScanner(bytes, from: resource.lowerBound, to: resource.upperBound, separator: UInt8(ascii: "/"))
        guard let first = segments.next(), segments.equals(first, "instance"), let instanceID = segments.next(),
              isID(bytes[instanceID])
        else {
            return .failure(.init("has no instance/<id> resource"))
        }
        let third = segments.next()
        let fourth = segments.next()
        let fifth = segments.next()
        let kind: Resource
        if let third {
            if segments.equals(third, "contact-flow"), let fourth, fifth == nil, isID(bytes[fourth]) {
                kind = .contactFlow(id: segments.string(fourth))
            } else {
                kind = .other(segments.string(third))
            }
        } else {
            kind = .instance
        }
        return .success(ConnectARN(
            partition: fields.string(partition), region: fields.string(region), account: fields.string(account),
            instanceID: segments.string(instanceID), resource: kind))
    }

    /// Letters and `-`: ASCII letters byte by byte, any other text by `Character.isLetter`
    /// (the rule for a partition, which a non-ASCII letter passes here and fails later).
    private static func isPartitionText(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            return String(decoding: bytes, as: UTF8.self).allSatisfy { $0.isLetter || $0 == "-" }
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    /// Why a text is not a Connect ARN.
    public struct ParseFailure: Error, Sendable, Hashable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// The fields of a text's UTF-8 bytes between single-byte separators, one at a
    /// time, as ranges of offsets (empty fields included, as `split` with
    /// `omittingEmptySubsequences: false` gives them).
    private struct FieldScanner {
        private let bytes: [UInt8]
        private let end: Int
        private var start: Int?
        private let separator: UInt8

        init(_ bytes: [UInt8], from start: Int, to end: Int, separator: UInt8) {
            self.bytes = bytes
            self.start = start
            self.end = end
            self.separator = separator
        }

        /// The next field, or `nil` after the last.
        mutating func next() -> Range<Int>? {
            guard let from = start else { return nil }
            var index = from
            while index < end, bytes[index] != separator { index += 1 }
            start = index < end ? index + 1 : nil
            return from..<index
        }

        /// Everything from the next field to the end, separators included, or `nil` after the last field.
        mutating func rest() -> Range<Int>? {
            guard let from = start else { return nil }
            start = nil
            return from..<end
        }

        /// Whether the field is `literal` (ASCII) byte for byte.
        func equals(_ field: Range<Int>, _ literal: String) -> Bool {
            field.count == literal.utf8.count && hasPrefix(field, literal)
        }

        /// Whether the field starts with `literal` (ASCII).
        func hasPrefix(_ field: Range<Int>, _ literal: String) -> Bool {
            guard field.count >= literal.utf8.count else { return false }
            var offset = field.lowerBound
            for byte in literal.utf8 {
                guard bytes[offset] == byte else { return false }
                offset += 1
            }
            return true
        }

        /// The field as text.
        func string(_ field: Range<Int>) -> String {
            String(decoding: bytes[field], as: UTF8.self)
        }
    }

    /// `us-west-2`, `ap-southeast-1`, `us-gov-west-1`, `cn-north-1`.
    public static func isRegion(_ text: some StringProtocol) -> Bool {
        isRegion(text.utf8)
    }

    private static func isRegion(_ bytes: some Collection<UInt8>) -> Bool {
        // Parts between dashes, in one scan (no array of parts): every part but the last
        // non-empty lowercase letters, the last non-empty digits, at least three parts.
        var parts = 1
        var length = 0
        var letters = true
        var digits = true
        for byte in bytes {
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
    private static func isID(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.count <= 256 && bytes.allSatisfy { byte in
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
